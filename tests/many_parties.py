"""A 30-party election for the tests, made from the shipped one: real elections have 15 to 30.

The extra parties copy the stances and quotes of the shipped parties in shifted patterns, so every
page has real content; their names are long Dutch compounds, the hardest case for a phone.
"""

from positions import published
from positions.models import Election, Publication

NAMES = [
    "Partij voor de Arbeidsongeschiktheidsverzekering", "Volkspartij", "Groen Links-Midden",
    "Christelijke Unie", "Boerenbelangenpartij", "Partij voor Ouderen", "Jongerenpartij",
    "Liberale Partij", "Socialistische Partij", "Partij voor de Dieren en Natuur", "Staatkundig Verbond",
    "Europese Beweging", "Burgerbeweging", "Democratische Alliantie", "Partij van het Noorden",
    "Zuidelijke Volkspartij", "Waterschapsbelangen", "Digitale Rechtenpartij", "Onderwijspartij",
    "Zorgpartij", "Woningbouwcorporatiepartij", "Partij voor Vrede", "Vrijheidspartij",
    "Eenheidslijst", "Lokaal Nederland", "Klimaatpartij", "Ondernemerspartij",
]  # fmt: skip


def publish_thirty_parties(slug="tk2025") -> published.Snapshot:
    """Publish the shipped election again with 27 more parties (30 in all); return its snapshot."""
    election = Election.objects.get(slug=slug)
    latest = election.latest_publication()
    data = latest.data
    shipped = [a for a in data["actors"] if a["kind"] == "party"]
    for i, name in enumerate(NAMES[: 30 - len(shipped)]):
        model = shipped[i % len(shipped)]
        actor = {**model, "slug": f"extra-{i + 1}", "name": name}
        actor["description"] = {"nl": f"Testpartij {i + 1}.", "en": f"Test party {i + 1}."}
        data["actors"].append(actor)
        for number, statement in enumerate(sorted(data["statements"], key=lambda s: s["order"])):
            by_actor = {p["actor"]: p for p in statement["positions"]}
            source = by_actor.get(shipped[(i + number) % len(shipped)]["slug"])
            if source is not None and (i + number) % 7:  # now and then no position found
                statement["positions"].append({**source, "actor": actor["slug"]})
    Publication.objects.create(election=election, number=latest.number + 1, data=data)
    published.forget()
    return published.get(slug)
