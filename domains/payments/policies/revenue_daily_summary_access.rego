# METADATA
# title: Access policy of payments/revenue-daily-summary
# description: >-
#   Referenced by the spec as access_policy: "opa://payments-domain/revenue-daily-summary-access".
#   Unpublished financial results: finance readers only, and never exported.
# scope: package
package data_mesh.access.payments_domain.revenue_daily_summary_access

policy_ref := "opa://payments-domain/revenue-daily-summary-access"

finance_reader if "finance_reader" in input.subject.roles

# METADATA
# description: Unpublished results are for finance readers only.
deny contains {
	"code": "finance_role_required",
	"message": "payments/revenue-daily-summary holds unpublished results: role finance_reader required",
} if {
	not finance_reader
}

# METADATA
# description: Unpublished results never leave the platform.
deny contains {
	"code": "export_forbidden",
	"message": "payments/revenue-daily-summary is never exported before the results are published",
} if {
	input.action == "export"
}
