# METADATA
# title: Access policy of customer/customer-events-v1
# description: >-
#   Referenced by the spec as access_policy: "opa://customer-domain/customer-events-v1-access".
#   Raw clickstream: identified teams only, and the IP address never leaves the platform
#   (no export of ip_address, whatever the caller's roles). The central rules in
#   data_mesh.governance (PII role, erasure) always apply as well.
# scope: package
package data_mesh.access.customer_domain.customer_events_v1_access

policy_ref := "opa://customer-domain/customer-events-v1-access"

# Helper rules, not inline negations of input values (undefined, not true, when missing).
team_named if is_string(input.subject.team)

exports_ip if {
	input.action == "export"
	some field in input.resource.fields
	field in {"ip_address", "*"}
}

# METADATA
# description: The IP address is never exported.
deny contains {
	"code": "ip_export",
	"message": "ip_address of customer/customer-events-v1 is never exported; read it in place",
} if {
	exports_ip
}

# METADATA
# description: Clickstream is served to identified teams only.
deny contains {
	"code": "team_required",
	"message": "reads of customer/customer-events-v1 need subject.team (the consuming team)",
} if {
	not team_named
}
