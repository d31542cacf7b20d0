# Mesh-wide tests: they run over the policy data generated from the real specs
# (`mesh policy test` passes it to opa test). Without that data the registry is empty and
# they hold trivially. A failure prints the product and field it is about.
package data_mesh.mesh_test

import data.data_mesh.governance

now := 1795000000000000000

probe(domain, name, field, roles) := {
	"action": "read",
	"now_ns": now,
	"subject": {"id": "mesh-test", "roles": roles, "team": "mesh-test"},
	"resource": {
		"domain": domain,
		"product": name,
		"fields": [field],
		"record_created_ns": now - 86400000000000,
	},
}

pii_fields contains [domain, name, field] if {
	some domain, products in data.pii_registry
	some name, fields in products
	some field in fields
}

over_granted contains [domain, name, field] if {
	some [domain, name, field] in pii_fields
	governance.allow with input as probe(domain, name, field, ["analyst"])
}

over_denied contains [domain, name, field] if {
	some [domain, name, field] in pii_fields
	not governance.allow with input as probe(domain, name, field, ["analyst", "pii_authorized"])
}

test_no_pii_field_is_served_without_the_role if {
	every offender in over_granted {
		print(
			"PII over-grant: field", offender[2], "of product",
			concat("/", [offender[0], offender[1]]), "is served without role pii_authorized",
		)
	}
	count(over_granted) == 0
}

test_every_pii_field_is_served_with_the_role if {
	every offender in over_denied {
		print(
			"PII over-deny: field", offender[2], "of product",
			concat("/", [offender[0], offender[1]]), "is refused to role pii_authorized",
		)
	}
	count(over_denied) == 0
}
