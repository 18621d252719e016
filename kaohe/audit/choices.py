"""What an audit row records: the action (one per action function) and the kind of its target."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Every audited write, named as its action function is (`entry_record` …)."""

    # the ledger
    ENTRY_RECORD = "entry_record", _("Recorded")
    ENTRY_UPDATE = "entry_update", _("Changed")
    ENTRY_SUBMIT = "entry_submit", _("Submitted")
    ENTRY_CONFIRM = "entry_confirm", _("Confirmed")
    ENTRY_RETURN = "entry_return", _("Returned")
    ENTRY_DECIDE = "entry_decide", _("Amount decided")
    ENTRY_VOID = "entry_void", _("Voided")
    ENTRY_PROPOSE = "entry_propose", _("Proposed from a missing report or an unmet target")
    ENTRY_DISCARD = "entry_discard", _("Proposal discarded")
    ENTRY_CORRECT = "entry_correct", _("Corrected after an objection")
    EVIDENCE_ATTACH = "evidence_attach", _("Evidence attached")
    OBJECTION_RAISE = "objection_raise", _("Objection raised")
    OBJECTION_RESOLVE = "objection_resolve", _("Objection resolved")
    ENTRIES_BATCH_RECORD = "entries_batch_record", _("Batch of entries saved")
    ENTRIES_IMPORT = "entries_import", _("Entries imported")
    OFFICE_MEMBER_ADD = "office_member_add", _("Assessment office member recorded")
    OFFICE_MEMBER_REMOVE = "office_member_remove", _("Assessment office member removed")
    RANGE_VOTE_OPEN = "range_vote_open", _("Secret ballot on range amounts opened")
    RANGE_VOTE_CLOSE = "range_vote_close", _("Secret ballot on range amounts closed")
    RANGE_VOTE_VACUUM = (
        "range_vote_vacuum",
        _("Deleted secret-ballot data cleared from the database"),
    )
    # annual targets and their reports
    TARGET_DRAFT = "target_draft", _("Target drafted")
    TARGET_UPDATE = "target_update", _("Target changed")
    TARGET_SUBMIT = "target_submit", _("Target submitted")
    TARGET_REVIEW = "target_review", _("Target reviewed by the supervising leader")
    TARGETS_COMPILE = "targets_compile", _("Targets compiled")
    TARGETS_APPROVE = "targets_approve", _("Targets approved by the leading group")
    TARGET_REVISE = "target_revise", _("Revision of a target begun")
    REPORT_SUBMIT = "report_submit", _("Target report submitted")
    SUPERVISION_PERIODS_SET = "supervision_periods_set", _("Supervision reporting periods set")
    SUPERVISION_REPORTS_RECORD = (
        "supervision_reports_record",
        _("Supervision-system reports recorded"),
    )
    PROPOSALS_MAKE = "proposals_make", _("Entries proposed from targets")
    PROPOSAL_HANDLE = "proposal_handle", _("Proposed entry handled")
    # the year and its scheme
    YEAR_IMPORT = "year_import", _("Year imported")
    YEAR_CREATE = "year_create", _("Year created")
    YEAR_DEPARTMENTS_SET = "year_departments_set", _("Assessed departments set")
    DEPARTMENT_TYPE_CORRECT = "department_type_correct", _("Department type corrected")
    SCHEMES_BUILTIN_STORE = "schemes_builtin_store", _("Built-in scheme stored in the library")
    SCHEME_COPY = "scheme_copy", _("Scheme copied")
    SCHEME_UPDATE = "scheme_update", _("Scheme edited")
    SELF_ASSESSMENT_SUBMIT = "self_assessment_submit", _("Self-assessment form submitted")
    DEADLINES_SET = "deadlines_set", _("Deadlines of the year set")
    REMINDER_SEND = "reminder_send", _("Deadline reminder sent")
    NOTIFICATIONS_READ = "notifications_read", _("Notifications marked read")
    # the organisation and its people
    DEPARTMENT_CREATE = "department_create", _("Department added")
    DEPARTMENT_UPDATE = "department_update", _("Department changed")
    PERSON_ADD = "person_add", _("Person added")
    PERSON_SET_ACTIVE = "person_set_active", _("Person in post / left")
    ROLE_GRANT = "role_grant", _("Role granted")
    ROLE_REVOKE = "role_revoke", _("Role revoked")
    # accounts
    USER_CREATE = "user_create", _("Account created")
    USER_DISABLE = "user_disable", _("Account disabled")
    USER_ENABLE = "user_enable", _("Account re-enabled")
    USER_PASSWORD_RESET = "user_password_reset", _("Password reset")
    PASSWORD_CHANGE = "password_change", _("Password changed")
    SUPERUSER_CREATE = "superuser_create", _("Superuser created")
    SUPERUSER_LOGIN = "superuser_login", _("Superuser logged in")
    LOCKOUT_CLEAR = "lockout_clear", _("Lockout cleared")
    SECOND_FACTOR_ENROL = "second_factor_enrol", _("Second factor enrolment started")
    SECOND_FACTOR_CONFIRM = "second_factor_confirm", _("Second factor enrolled")
    RECOVERY_CODE_USE = "recovery_code_use", _("Recovery code used")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset")
    LOGIN_RECORDS_EXPORT = "login_records_export", _("Login records exported")
    SECURITY_POLICY_UPDATE = "security_policy_update", _("Security settings changed")
    # evaluation rounds
    ROUNDS_IMPORT = "rounds_import", _("Evaluation rounds imported")
    ROUND_OPEN = "round_open", _("Evaluation round opened")
    ROUND_CODES_ISSUE = "round_codes_issue", _("Ballot codes issued")
    ROUND_CODES_REVOKE = "round_codes_revoke", _("Ballot codes revoked")
    ROUND_CLOSE = "round_close", _("Evaluation round closed and tallied")
    ROUND_VACUUM = "round_vacuum", _("Deleted ballot data cleared from the database")
    ROUND_BALLOTS_EXPORT = "round_ballots_export", _("Ballot list exported")
    PAPER_ENTRY_RECORD = "paper_entry_record", _("Paper ballot form entered by hand")
    PAPER_ENTRY_DECIDE = "paper_entry_decide", _("Paper ballot form decided")
    PAPER_SCANS_RECORD = "paper_scans_record", _("Scanned paper ballot forms read")
    PAPER_SCAN_DECIDE = "paper_scan_decide", _("Scanned paper ballot form decided")
    # results
    RESULTS_IMPORT = "results_import", _("Adjustments, vetoes and decisions imported")
    ADJUSTMENT_RECORD = "adjustment_record", _("Party-group adjustment recorded")
    ADJUSTMENT_REMOVE = "adjustment_remove", _("Party-group adjustment removed")
    VETO_RECORD = "veto_record", _("One-vote veto recorded")
    VETO_REMOVE = "veto_remove", _("One-vote veto removed")
    PUBLICATION_CONFIRM = "publication_confirm", _("Results confirmed and published")
    PUBLICITY_OBJECTION_RAISE = "publicity_objection_raise", _("Objection raised in the publicity")
    PUBLICITY_OBJECTION_ANSWER = (
        "publicity_objection_answer",
        _("Objection raised in the publicity answered"),
    )
    SEAL_BREACH_RECORD = "seal_breach_record", _("Published version found altered")
    CIRCULAR_DRAFT = "circular_draft", _("Supervision circular drafted")
    CIRCULAR_UPDATE = "circular_update", _("Supervision circular edited")
    CIRCULAR_PUBLISH = "circular_publish", _("Supervision circular published")
    # the audit trail itself
    AUDIT_EXPORT = "audit_export", _("Audit trail exported")
    # the installation
    BACKUP_CREATE = "backup_create", _("Backup written")
    BACKUP_RESTORE = "backup_restore", _("Installation restored from a backup")


class AuditTarget(models.TextChoices):
    """The kind of record an audit row is about; with its id it names the record's history."""

    ENTRY = "entry", _("Record")
    BATCH = "batch", _("Batch of entries")
    YEAR = "year", _("Year")
    SCHEME = "scheme", _("Scheme")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment form")
    DEPARTMENT = "department", _("Department")
    PERSON = "person", _("Person")
    ROLE = "role", _("Role")
    USER = "user", _("Account")
    SECURITY_POLICY = "security_policy", _("Security settings")
    AUDIT_TRAIL = "audit_trail", _("Audit trail")
    ROUND = "round", _("Evaluation round")
    ADJUSTMENT = "adjustment", _("Party-group adjustment")
    VETO = "veto", _("One-vote veto")
    PUBLICATION = "publication", _("Published version")
    BACKUP = "backup", _("Backup archive")
    TARGET = "target", _("Annual target")
    REPORT = "report", _("Target report")
    SUPERVISION = "supervision", _("Supervision system")
    CIRCULAR = "circular", _("Supervision circular")
    OFFICE_MEMBER = "office_member", _("Assessment office member")
    RANGE_VOTE = "range_vote", _("Secret ballot on range amounts")
