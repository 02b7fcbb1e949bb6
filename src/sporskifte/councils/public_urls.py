from django.urls import path

from sporskifte.councils import public

app_name = "councils_public"
urlpatterns = [
    path("<slug:district>/", public.plan_page, name="plan"),
    path("<slug:district>/<int:year>/", public.plan_page, name="plan_year"),
    path("<slug:district>/<int:year>.pdf", public.plan_pdf_view, name="plan_pdf"),
]
