# METADATA
# title: Access policy of customer/customer-profile-snapshot
# description: >-
#   Referenced by the spec as access_policy: "opa://customer-domain/customer-profile-snapshot-access".
#   The SCD2 profile history: identified teams only; exports only for regulatory reporting.
# scope: package
package data_mesh.access.customer_domain.customer_profile_snapshot_access

policy_ref := "opa://customer-domain/customer-profile-snapshot-access"

team_named if is_string(input.subject.team)

regulatory_export if input.subject.purpose == "regulatory-reporting"

# METADATA
# description: Exports of the profile history only for regulatory reporting.
deny contains {
	"code": "export_purpose",
	"message": "exports of customer/customer-profile-snapshot need subject.purpose regulatory-reporting",
} if {
	input.action == "export"
	not regulatory_export
}

# METADATA
# description: Served to identified teams only.
deny contains {
	"code": "team_required",
	"message": "reads of customer/customer-profile-snapshot need subject.team (the consuming team)",
} if {
	not team_named
}
