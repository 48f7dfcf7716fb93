from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def health(request):
    """For load balancers (and the benchmark's bare view): the process answers; no database."""
    return HttpResponse("ok", content_type="text/plain")
