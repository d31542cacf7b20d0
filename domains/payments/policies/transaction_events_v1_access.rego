# METADATA
# title: Access policy of payments/transaction-events-v1
# description: >-
#   Referenced by the spec as access_policy: "opa://payments-domain/transaction-events-v1-access".
#   Financial records (authoritative payment events): reads need the role payments_reader or finance_reader;
#   exports only for audit or regulatory reporting.
# scope: package
package data_mesh.access.payments_domain.transaction_events_v1_access

policy_ref := "opa://payments-domain/transaction-events-v1-access"

reader_roles := {"payments_reader", "finance_reader"}

is_reader if {
	some role in input.subject.roles
	role in reader_roles
}

audit_export if input.subject.purpose in {"audit", "regulatory-reporting"}

# METADATA
# description: Financial records need a reader role.
deny contains {
	"code": "reader_role_required",
	"message": "payments/transaction-events-v1 needs role payments_reader or finance_reader",
} if {
	not is_reader
}

# METADATA
# description: Exports of financial records only for audit or regulatory reporting.
deny contains {
	"code": "export_purpose",
	"message": "exports of payments/transaction-events-v1 need subject.purpose audit or regulatory-reporting",
} if {
	input.action == "export"
	not audit_export
}
