from django.apps import AppConfig


class QuestionnaireConfig(AppConfig):
    name = "stemwijzer.questionnaire"
    label = "questionnaire"
    verbose_name = "Vragenlijst"

    def ready(self):
        from stemwijzer.questionnaire import fragments

        fragments.connect()
