"""URLs of the results app, mounted at /results/."""

from __future__ import annotations

from django.urls import path

from kaohe.results.views import circulars, exports, proposal, published, self_assessments

app_name = "results"

VERSION = "<int:year>/versions/<int:number>/"
CIRCULAR = "<int:year>/circulars/<str:half>/"

urlpatterns = [
    path("across/", published.across, name="across"),
    path("files/<uuid:pk>/", proposal.attachment, name="attachment"),
    path("<int:year>/", published.published, name="published"),
    path("<int:year>/proposal/", proposal.proposal, name="proposal"),
    path("<int:year>/proposal/trails/<str:code>/", proposal.proposal_trail, name="proposal_trail"),
    path("<int:year>/proposal/bundle.json", proposal.proposal_bundle, name="proposal_bundle"),
    path("<int:year>/adjustments/", proposal.adjustments, name="adjustments"),
    path(
        "<int:year>/adjustments/<int:pk>/remove/",
        proposal.adjustment_remove,
        name="adjustment_remove",
    ),
    path("<int:year>/vetoes/", proposal.vetoes, name="vetoes"),
    path("<int:year>/vetoes/<int:pk>/remove/", proposal.veto_remove, name="veto_remove"),
    path("<int:year>/confirm/", proposal.confirm, name="confirm"),
    path("<int:year>/confirm/preview/", proposal.confirm_preview, name="confirm_preview"),
    path("<int:year>/objections/", published.objections, name="objections"),
    path(
        "<int:year>/objections/<int:pk>/answer/",
        published.objection_answer,
        name="objection_answer",
    ),
    path(
        "<int:year>/self-assessments/", self_assessments.self_assessments, name="self_assessments"
    ),
    path(
        "<int:year>/self-assessments/all.<str:fmt>",
        self_assessments.self_assessments_export,
        name="self_assessments_export",
    ),
    path(
        "<int:year>/self-assessments/<str:code>.<str:fmt>",
        self_assessments.self_assessment_export,
        name="self_assessment_export",
    ),
    path("<int:year>/circulars/", circulars.circulars, name="circulars"),
    path(CIRCULAR, circulars.circular, name="circular"),
    path(CIRCULAR + "edit/", circulars.circular_edit, name="circular_edit"),
    path(CIRCULAR + "preview/", circulars.circular_preview, name="circular_preview"),
    path(CIRCULAR + "preview.pdf", circulars.circular_preview_pdf, name="circular_preview_pdf"),
    path(CIRCULAR + "publish/", circulars.circular_publish, name="circular_publish"),
    path(CIRCULAR + "circular.<str:fmt>", circulars.circular_file, name="circular_file"),
    path("<int:year>/versions/", published.versions, name="versions"),
    path(VERSION, published.version, name="version"),
    path(VERSION + "bundle.json", published.version_bundle, name="version_bundle"),
    path(VERSION + "trails/<str:code>/", published.version_trail, name="version_trail"),
    path("<int:year>/versions/<int:old>/diff/<int:new>/", published.diff, name="diff"),
    path(VERSION + "charts/<str:name>.png", published.chart, name="chart"),
    path(VERSION + "results.xlsx", exports.workbook, name="export_xlsx"),
    path(VERSION + "notice.docx", exports.notice_word, name="export_notice_docx"),
    path(VERSION + "notice.pdf", exports.notice_pdf_view, name="export_notice_pdf"),
    path(VERSION + "sheets.pdf", exports.score_sheets, name="export_sheets"),
    path(VERSION + "sheets/<str:code>.pdf", exports.score_sheet, name="export_sheet"),
]
