"""Exports of a published version: one function builds the content, one renderer per format.

`data.export_data` gathers a version's figures (recomputed from its stored inputs and checked
against what was published); `notice.notice_content` words the notice; `xlsx`, `word` and `pdf`
only lay them out.
"""
