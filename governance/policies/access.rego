# METADATA
# title: Query-time access to data products
# description: >-
#   The decision the query gateway asks for on every read or export:
#   data.data_mesh.governance.decision = {"allow": bool, "reasons": [...]}.
#   Default deny: a request is allowed only when it is well formed, names a product the
#   mesh knows, and no rule below gives a reason to deny it. Every reason is reported, not
#   only the first. The policy data (pii_registry, products, erased_subjects) is generated
#   from the specs by @data-mesh/policy; the current time comes in input.now_ns because the
#   WebAssembly runtime has no clock.
# scope: package
package data_mesh.governance

# Constants are written inline in the rules below (read/export, pii_authorized, 86400e9 ns a
# day): in the compiled policy every named rule is memoized per evaluation, which costs more
# than the constant itself.

# METADATA
# description: The product the request is about, from the generated policy data.
data_product := data.products[input.resource.domain][input.resource.product]

product_label := concat("/", [input.resource.domain, input.resource.product])

default allow := false

# METADATA
# description: Allowed only for a well-formed request about a known product with no reason to deny.
# entrypoint: true
allow if {
	well_formed
	data_product
	count(reasons) == 0
}

# METADATA
# description: The decision object; reasons sorted so that every evaluator returns the same JSON.
# entrypoint: true
decision := {"allow": allow, "reasons": sort(reasons)}

# --- well-formedness: a request the rules cannot judge is denied, never waved through ---

# Each check is a rule of its own: `not f(input.x)` with input.x undefined is undefined in
# Rego (the reference is evaluated outside the negation), so a missing value would slip by.
valid_action if input.action == "read"

valid_action if input.action == "export"

valid_now if is_number(input.now_ns)

valid_subject_id if is_string(input.subject.id)

valid_roles if is_array(input.subject.roles)

valid_domain if is_string(input.resource.domain)

valid_product if is_string(input.resource.product)

valid_fields if is_array(input.resource.fields)

# METADATA
# description: All checks in one rule, so the common well-formed case is cheap.
well_formed if {
	valid_action
	is_number(input.now_ns)
	is_string(input.subject.id)
	is_array(input.subject.roles)
	is_string(input.resource.domain)
	is_string(input.resource.product)
	is_array(input.resource.fields)
}

problems contains "action must be one of read, export" if not valid_action

problems contains "now_ns must be a number (nanoseconds since the epoch)" if not valid_now

problems contains "subject.id must be a string" if not valid_subject_id

problems contains "subject.roles must be an array" if not valid_roles

problems contains "resource.domain must be a string" if not valid_domain

problems contains "resource.product must be a string" if not valid_product

problems contains "resource.fields must be an array" if not valid_fields

# --- PII: every requested PII field needs the pii_authorized role ---

pii_fields := data.pii_registry[input.resource.domain][input.resource.product]

# Dotted paths (payload.email_hash, address.street) are matched by path, not only by name:
# a requested path reads a PII field when it is that field, lies inside it, contains it, or
# ends in its name. Only requests or registries with a dotted path pay for the comparison.
paths_involved if {
	some f in input.resource.fields
	is_string(f)
	contains(f, ".")
}

paths_involved if {
	some f in pii_fields
	contains(f, ".")
}

path_overlaps(requested, field) if startswith(requested, concat("", [field, "."]))

path_overlaps(requested, field) if startswith(field, concat("", [requested, "."]))

path_overlaps(requested, field) if endswith(requested, concat("", [".", field]))

# PII fields the request reads; "*" reads every field.
requested_pii contains field if {
	some field in input.resource.fields
	field in pii_fields
}

requested_pii contains field if {
	"*" in input.resource.fields
	some field in pii_fields
}

requested_pii contains field if {
	paths_involved
	some requested in input.resource.fields
	is_string(requested)
	some field in pii_fields
	path_overlaps(requested, field)
}

has_pii_role if "pii_authorized" in input.subject.roles

# --- retention: records of restricted products older than their retention ---

is_data_steward if input.subject.is_data_steward == true

# Retention binds restricted products' records, for everyone but data stewards.
retention_applies if {
	data_product.classification == "restricted"
	not is_data_steward
}

record_age_known if is_number(input.resource.record_created_ns)

# Compared in nanoseconds (no division on the hot path); days only for the message.
record_age_ns := input.now_ns - input.resource.record_created_ns

# --- GDPR erasure: erased subject ids are never served ---

requested_subjects contains input.resource.subject_id if is_string(input.resource.subject_id)

requested_subjects contains id if {
	some id in input.resource.subject_ids
	is_string(id)
}

# --- product access policies: opa://<bundle>/<name> in the spec, a package per product ---

# The product's own package, data.data_mesh.access.<bundle>.<name> (see the mapping in
# packages/policy/README.md); it must declare policy_ref equal to the spec's reference.
# Its rules are referenced one by one (policy_ref, deny), never as a whole package document,
# so an evaluation computes only what it reads.
access_policy_loaded if {
	pkg := data_product.access_package
	data.data_mesh.access[pkg[0]][pkg[1]].policy_ref == data_product.access_policy
}

# --- every reason to deny, one rule per concern (grouped here; helpers above) ---

# METADATA
# description: Every reason to deny the request.
# scope: document
reasons contains {"code": "malformed_request", "message": concat("", ["malformed request: ", problem])} if {
	not well_formed
	some problem in problems
}

reasons contains reason if {
	well_formed
	not data_product
	reason := {
		"code": "unknown_product",
		"message": concat("", ["no data product ", product_label, " in the mesh"]),
	}
}

reasons contains reason if {
	not has_pii_role
	some field in requested_pii
	reason := {
		"code": "pii_role_required",
		"field": field,
		"message": concat("", [
			"field '", field, "' of ", product_label,
			" is PII and requires role 'pii_authorized'",
		]),
	}
}

reasons contains reason if {
	retention_applies
	record_age_ns > data_product.retention_days * 86400000000000
	reason := {
		"code": "retention_expired",
		"message": concat("", [
			"record of ", product_label, " is ", format_int(record_age_ns / 86400000000000, 10),
			" days old; retention for this restricted product is ",
			format_int(data_product.retention_days, 10), " days (data stewards only)",
		]),
	}
}

reasons contains reason if {
	retention_applies
	valid_now
	not record_age_known
	reason := {
		"code": "record_age_unknown",
		"message": concat("", [
			"resource.record_created_ns is required to read records of the restricted product ",
			product_label, " (retention cannot be checked)",
		]),
	}
}

reasons contains reason if {
	some id in requested_subjects
	data.erased_subjects[id]
	reason := {
		"code": "subject_erased",
		"subject_id": id,
		"message": concat("", ["subject '", id, "' was erased under the GDPR right to erasure"]),
	}
}

reasons contains reason if {
	data_product.access_policy
	not access_policy_loaded
	reason := {
		"code": "access_policy_missing",
		"message": concat("", [
			"access policy ", data_product.access_policy, " of ", product_label,
			" is not loaded (no package declares that policy_ref)",
		]),
	}
}

reasons contains object.union(denial, {"policy": data_product.access_policy}) if {
	access_policy_loaded
	pkg := data_product.access_package
	some denial in data.data_mesh.access[pkg[0]][pkg[1]].deny
}
