"""The pages of veiviser.agreements (included at the site root; paths carry their prefix)."""

from django.urls import path

from veiviser.agreements.views import agreements, grants

urlpatterns = [
    path(
        "avtaler/alis/<int:pk>/", agreements.trainee_agreement_list, name="trainee_agreement_list"
    ),
    path("avtaler/<str:number>/", agreements.agreement_list, name="agreement_list"),
    path("avtaler/<str:number>/ny/", agreements.agreement_create, name="agreement_create"),
    path("avtale/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("avtale/<int:pk>/endre/", agreements.agreement_edit, name="agreement_edit"),
    path(
        "avtale/<int:pk>/versjon/<int:version>.pdf",
        agreements.agreement_pdf_view,
        name="agreement_pdf",
    ),
    path("tilskudd/satser/", grants.rate_list, name="rate_list"),
    path("tilskudd/satser/ny/", grants.rate_create, name="rate_create"),
    path("tilskudd/satser/<int:pk>/", grants.rate_edit, name="rate_edit"),
    path("tilskudd/satser/<int:pk>/slett/", grants.rate_delete, name="rate_delete"),
    path("tilskudd/krav/<int:pk>/", grants.grant_claim_detail, name="grant_claim_detail"),
    path("tilskudd/krav/<int:pk>/grunnlag.xlsx", grants.grant_claim_xlsx, name="grant_claim_xlsx"),
    path("tilskudd/krav/<int:pk>/sammendrag.pdf", grants.grant_claim_pdf, name="grant_claim_pdf"),
    path("tilskudd/<str:number>/", grants.grant_claim_list, name="grant_claim_list"),
    path("tilskudd/<str:number>/beregn/", grants.grant_claim_preview, name="grant_claim_preview"),
]
