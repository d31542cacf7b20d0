# METADATA
# title: Access policy of customer/customer-360
# description: >-
#   Referenced by the spec as access_policy: "opa://customer-domain/customer-360-access".
#   Product access policies add product-specific reasons to deny on top of the central
#   rules in data_mesh.governance (PII role, retention, erasure), which always apply.
#   Contract: declare policy_ref equal to the spec's reference and a set `deny` of
#   {"code", "message"} objects.
# scope: package
package data_mesh.access.customer_domain.customer_360_access

policy_ref := "opa://customer-domain/customer-360-access"

# METADATA
# description: Why the unified profile may leave the platform in bulk.
export_purposes := {"customer-support", "regulatory-reporting"}

this_product := data.products.customer["customer-360"]

# Helper rules, not inline `not x in s`: that is undefined, not true, when x is missing.
export_purpose_declared if input.subject.purpose in export_purposes

team_named if is_string(input.subject.team)

# METADATA
# description: Exports need a declared purpose.
deny contains {
	"code": "export_purpose",
	"message": concat("", [
		"exports of customer/customer-360 need subject.purpose in: ",
		concat(", ", sort(export_purposes)),
	]),
} if {
	input.action == "export"
	not export_purpose_declared
}

# METADATA
# description: A named port must be one of the product's output ports.
deny contains {
	"code": "unknown_port",
	"message": concat("", ["customer/customer-360 has no output port '", input.resource.port, "'"]),
} if {
	is_string(input.resource.port)
	not input.resource.port in this_product.ports
}

# METADATA
# description: The unified profile is served to identified teams only, never to anonymous callers.
deny contains {
	"code": "team_required",
	"message": "reads of customer/customer-360 need subject.team (the consuming team)",
} if {
	not team_named
}
