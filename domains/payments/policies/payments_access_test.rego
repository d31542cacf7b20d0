package data_mesh.access.payments_domain_test

import data.data_mesh.access.payments_domain.refund_events_v1_access as refunds
import data.data_mesh.access.payments_domain.revenue_daily_summary_access as revenue
import data.data_mesh.access.payments_domain.transaction_events_v1_access as transactions

req(action, roles, purpose) := {
	"action": action,
	"subject": {"id": "u-1", "roles": roles, "team": "finance-analytics", "purpose": purpose},
	"resource": {"domain": "payments", "fields": ["amount"]},
}

codes(denials) := {d.code | some d in denials}

test_policy_refs_match_the_package_paths if {
	transactions.policy_ref == "opa://payments-domain/transaction-events-v1-access"
	refunds.policy_ref == "opa://payments-domain/refund-events-v1-access"
	revenue.policy_ref == "opa://payments-domain/revenue-daily-summary-access"
}

test_transactions_need_a_reader_role if {
	codes(transactions.deny) == {"reader_role_required"} with input as req("read", ["analyst"], "")
	count(transactions.deny) == 0 with input as req("read", ["payments_reader"], "")
	count(transactions.deny) == 0 with input as req("read", ["finance_reader"], "")
}

test_transactions_export_only_for_audit if {
	codes(transactions.deny) == {"export_purpose"} with input as req("export", ["finance_reader"], "marketing")
	count(transactions.deny) == 0 with input as req("export", ["finance_reader"], "audit")
}

test_refunds_need_a_reader_role_and_audit_exports if {
	codes(refunds.deny) == {"reader_role_required", "export_purpose"} with input as req("export", [], "")
	count(refunds.deny) == 0 with input as req("export", ["payments_reader"], "regulatory-reporting")
}

test_revenue_for_finance_readers_only if {
	codes(revenue.deny) == {"finance_role_required"} with input as req("read", ["payments_reader"], "")
	count(revenue.deny) == 0 with input as req("read", ["finance_reader"], "")
}

test_revenue_is_never_exported if {
	codes(revenue.deny) == {"export_forbidden"} with input as req("export", ["finance_reader"], "audit")
}
