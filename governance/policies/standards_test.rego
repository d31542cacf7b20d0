package data_mesh.standards_test

import data.data_mesh.standards

standards_data := {
	"classifications": {
		"public": {"max_retention_days": 3650},
		"internal": {"max_retention_days": 1825},
		"confidential": {"max_retention_days": 1095},
		"restricted": {"max_retention_days": 730},
	},
	"pii": {"tag": "pii", "role": "pii_authorized", "classifications": ["confidential", "restricted"]},
	"gdpr": {"tag": "gdpr-scoped", "max_stream_erasure_days": 30},
	"tiers": {"tier-1": {"min_uptime_percent": 99.9}},
}

# A spec that meets every standard (the article's customer-360).
compliant := {
	"apiVersion": "data-mesh/v1",
	"kind": "DataProduct",
	"metadata": {"name": "customer-360", "domain": "customer", "tags": ["pii", "gdpr-scoped", "tier-1"]},
	"spec": {
		"outputPorts": [
			{"name": "customer_profile_stream", "sla": {"freshness": "< 5 minutes", "uptime": "99.9%"}},
			{"name": "customer_snapshot_daily", "sla": {"freshness": "< 2 hours after midnight UTC", "uptime": "99.95%"}},
		],
		"governance": {
			"pii_fields": ["email_hash", "phone_hash", "full_name"],
			"data_classification": "restricted",
			"retention_days": 730,
			"gdpr_subject_to_erasure": true,
			"access_policy": "opa://customer-domain/customer-360-access",
		},
	},
}

report(spec) := r if {
	r := standards.report with input as spec with data.standards as standards_data
}

codes(spec) := {f.code | some f in report(spec)}

patched(ops) := json.patch(compliant, ops)

test_compliant_spec_has_no_findings if {
	report(compliant) == []
}

test_pii_without_tag if {
	r := report(patched([{"op": "replace", "path": "/metadata/tags", "value": ["gdpr-scoped", "tier-1"]}]))
	r == [{
		"code": "pii-tag",
		"message": "the product declares PII fields (email_hash, phone_hash, full_name) but is not tagged 'pii'",
		"path": ["metadata", "tags"],
	}]
}

test_pii_without_tags_points_at_metadata if {
	spec := patched([
		{"op": "remove", "path": "/metadata/tags"},
		{"op": "replace", "path": "/spec/governance/gdpr_subject_to_erasure", "value": false},
	])
	paths := {f.code: f.path | some f in report(spec)}
	paths["pii-tag"] == ["metadata"]
}

test_pii_needs_confidential_or_restricted if {
	spec := patched([{"op": "replace", "path": "/spec/governance/data_classification", "value": "internal"}])
	some f in report(spec)
	f.code == "pii-classification"
	f.path == ["spec", "governance", "data_classification"]
}

test_pii_confidential_is_fine if {
	spec := patched([
		{"op": "replace", "path": "/spec/governance/data_classification", "value": "confidential"},
		{"op": "remove", "path": "/spec/governance/access_policy"},
	])
	report(spec) == []
}

test_no_pii_no_pii_rules if {
	spec := patched([
		{"op": "replace", "path": "/spec/governance/pii_fields", "value": []},
		{"op": "replace", "path": "/spec/governance/data_classification", "value": "internal"},
		{"op": "replace", "path": "/metadata/tags", "value": ["gdpr-scoped"]},
	])
	report(spec) == []
}

test_restricted_needs_access_policy if {
	spec := patched([{"op": "remove", "path": "/spec/governance/access_policy"}])
	report(spec) == [{
		"code": "restricted-access-policy",
		"message": "a restricted product must declare governance.access_policy (opa://<bundle>/<name>)",
		"path": ["spec", "governance"],
	}]
}

test_gdpr_tag_needs_erasure if {
	spec := patched([{"op": "replace", "path": "/spec/governance/gdpr_subject_to_erasure", "value": false}])
	codes(spec) == {"gdpr-erasure"}
}

test_erasure_needs_gdpr_tag if {
	spec := patched([{"op": "replace", "path": "/metadata/tags", "value": ["pii", "tier-1"]}])
	r := report(spec)
	r[0].code == "gdpr-tag"
	r[0].path == ["metadata", "tags"]
	count(r) == 1
}

test_retention_over_the_limit if {
	spec := patched([{"op": "replace", "path": "/spec/governance/retention_days", "value": 731}])
	report(spec) == [{
		"code": "retention-limit",
		"message": "retention_days 731 exceeds the 730-day limit for 'restricted' data",
		"path": ["spec", "governance", "retention_days"],
	}]
}

test_retention_of_unknown_classification_is_not_judged_here if {
	# the JSON Schema (MESH101) rejects unknown classifications; standards add no noise
	spec := patched([
		{"op": "replace", "path": "/spec/governance/data_classification", "value": "secret"},
		{"op": "replace", "path": "/spec/governance/pii_fields", "value": []},
	])
	report(spec) == []
}

test_tier_1_needs_uptime_on_every_port if {
	spec := patched([{"op": "replace", "path": "/spec/outputPorts/1/sla/uptime", "value": "99.5%"}])
	report(spec) == [{
		"code": "tier-uptime",
		"message": concat("", [
			"the product is tagged 'tier-1' but port 'customer_snapshot_daily' promises uptime 99.5%; ",
			"tier-1 needs at least 99.9%",
		]),
		"path": ["spec", "outputPorts", 1, "sla", "uptime"],
	}]
}

test_tier_1_port_without_sla if {
	spec := patched([{"op": "remove", "path": "/spec/outputPorts/0/sla"}])
	r := report(spec)
	r[0].code == "tier-uptime"
	r[0].path == ["spec", "outputPorts", 0]
	contains(r[0].message, "promises uptime (none)")
}

test_untiered_product_has_no_uptime_floor if {
	spec := patched([
		{"op": "replace", "path": "/metadata/tags", "value": ["pii", "gdpr-scoped"]},
		{"op": "replace", "path": "/spec/outputPorts/0/sla/uptime", "value": "95%"},
	])
	report(spec) == []
}

# GDPR-scoped stream ports: erased subjects' records age out of the topic after retention_days.
with_stream_port(retention_days) := patched([
	{"op": "add", "path": "/spec/outputPorts/0/type", "value": "stream"},
	{"op": "add", "path": "/spec/outputPorts/0/topic", "value": "customer-domain.customer-360.v2"},
	{"op": "add", "path": "/spec/outputPorts/1/type", "value": "batch"},
	{"op": "replace", "path": "/spec/governance/retention_days", "value": retention_days},
])

test_gdpr_stream_port_retained_past_the_bound_warns if {
	report(with_stream_port(90)) == [{
		"code": "gdpr-stream-retention",
		"message": concat("", [
			"erased subjects' records stay in topic customer-domain.customer-360.v2 up to 90 days ",
			"(cleanup.policy=delete ages them out after retention_days; erasure deletes rows from tables only); ",
			"the GDPR standard bounds this at 30 days",
		]),
		"path": ["spec", "governance", "retention_days"],
		"severity": "warning",
	}]
}

test_gdpr_stream_port_within_the_bound if {
	report(with_stream_port(30)) == []
}

test_gdpr_batch_ports_only_have_no_stream_bound if {
	spec := patched([
		{"op": "add", "path": "/spec/outputPorts/0/type", "value": "batch"},
		{"op": "add", "path": "/spec/outputPorts/1/type", "value": "batch"},
	])
	report(spec) == []
}

test_stream_port_not_subject_to_erasure_has_no_stream_bound if {
	spec := json.patch(with_stream_port(400), [
		{"op": "replace", "path": "/metadata/tags", "value": ["pii", "tier-1"]},
		{"op": "replace", "path": "/spec/governance/gdpr_subject_to_erasure", "value": false},
	])
	report(spec) == []
}

test_gdpr_stream_bound_absent_from_the_standards if {
	r := standards.report with input as with_stream_port(730)
		with data.standards as json.remove(standards_data, ["gdpr/max_stream_erasure_days"])
	r == []
}

test_every_finding_is_reported if {
	spec := {
		"metadata": {"tags": ["gdpr-scoped", "tier-1"]},
		"spec": {
			"outputPorts": [{"name": "p", "sla": {"uptime": "99%"}}],
			"governance": {"pii_fields": ["email"], "data_classification": "restricted", "retention_days": 9999},
		},
	}
	codes(spec) == {"pii-tag", "restricted-access-policy", "gdpr-erasure", "retention-limit", "tier-uptime"}
}

test_empty_spec_has_no_findings if {
	report({}) == []
}

# PII reads across products: customer-360 reading the events stream and a profile table.
pii_ports := {
	"customer/customer-events-v1": {"customer_events_stream": {
		"type": "stream",
		"pii": ["ip_address", "device.serial"],
		"reads": {
			"ip_address": ["ip_address"],
			"device": ["device.serial"],
			"device.serial": ["device.serial"],
			"serial": ["device.serial"],
		},
	}},
	"customer/customer-profile-snapshot": {
		"profile_daily": {
			"type": "batch",
			"pii": ["email", "phone"],
			"reads": {"email": ["email"], "phone": ["phone"]},
		},
		"profile_changes": {
			"type": "stream",
			"pii": ["email"],
			"reads": {"email": ["email"]},
		},
	},
}

reader(inputs) := patched([{"op": "add", "path": "/spec/inputPorts", "value": inputs}])

events_input(fields) := {"sourceProduct": "customer/customer-events-v1", "fields": fields}

access_report(spec, access) := r if {
	r := standards.report with input as spec
		with data.standards as standards_data
		with data.pii_access as object.union({"ports": pii_ports, "authorizations": {}, "consumer_wide": {}}, access)
}

authorized_for(source, grant) := {"authorizations": {"customer/customer-360": {source: grant}}}

test_pii_read_without_authorization if {
	r := access_report(reader([events_input(["customer_id", "ip_address"])]), {})
	r == [{
		"code": "pii-unauthorized",
		"message": concat("", [
			"the input field \"ip_address\" reads PII of customer/customer-events-v1 (ip_address) ",
			"and customer/customer-360 has no authorization from the platform to read it",
		]),
		"path": ["spec", "inputPorts", 0, "fields", 1],
	}]
}

test_pii_read_of_a_record_holding_pii if {
	r := access_report(reader([events_input(["device"])]), {})
	r[0].code == "pii-unauthorized"
	contains(r[0].message, "(device.serial)")
	count(r) == 1
}

test_pii_read_with_the_pair_authorized_for_every_field if {
	spec := reader([events_input(["ip_address", "serial"])])
	access_report(spec, authorized_for("customer/customer-events-v1", {})) == []
}

test_pii_read_with_the_fields_authorized if {
	spec := reader([events_input(["ip_address", "device.serial"])])
	grant := {"fields": ["ip_address", "device.serial"]}
	access_report(spec, authorized_for("customer/customer-events-v1", grant)) == []
}

test_pii_read_with_the_consumer_wide_form if {
	spec := reader([events_input(["ip_address"])])
	access_report(spec, {"consumer_wide": {"customer/customer-360": true}}) == []
}

test_pii_read_of_a_field_the_authorization_does_not_list if {
	spec := reader([{
		"sourceProduct": "customer/customer-profile-snapshot",
		"port": "profile_daily",
		"fields": ["email", "phone"],
	}])
	r := access_report(spec, authorized_for("customer/customer-profile-snapshot", {"fields": ["email"]}))
	[f.path | some f in r] == [["spec", "inputPorts", 0, "fields", 1]]
	contains(r[0].message, "(phone)")
}

test_pii_stream_read_needs_every_pii_field_of_the_port if {
	spec := reader([events_input(["ip_address"])])
	r := access_report(spec, authorized_for("customer/customer-events-v1", {"fields": ["ip_address"]}))
	r == [{
		"code": "pii-stream-partial",
		"message": concat("", [
			"the input field \"ip_address\" of customer/customer-events-v1 is authorized, but its stream port ",
			"customer_events_stream also carries PII customer/customer-360 may not read (device.serial): ",
			"Kafka grants whole topics, so the pipeline reads the port's PII-free projection, without \"ip_address\"",
		]),
		"path": ["spec", "inputPorts", 0, "fields", 0],
	}]
}

test_pii_batch_read_of_some_authorized_fields_is_fine if {
	# Lake Formation grants columns: the unlisted PII column is withheld, the listed one granted
	spec := reader([{"sourceProduct": "customer/customer-profile-snapshot", "port": "profile_daily", "fields": ["email"]}])
	access_report(spec, authorized_for("customer/customer-profile-snapshot", {"fields": ["email"]})) == []
}

test_pii_read_on_an_unpinned_source_judges_every_port if {
	spec := reader([{"sourceProduct": "customer/customer-profile-snapshot", "fields": ["email"]}])
	codes := {f.code | some f in access_report(spec, {})}
	codes == {"pii-unauthorized"}
}

test_pii_free_fields_and_pinned_ports_without_pii_need_nothing if {
	spec := reader([
		events_input(["customer_id", "event_type", "metadata"]),
		{"sourceProduct": "customer/customer-profile-snapshot", "port": "no_pii_port", "fields": ["email"]},
		{"sourceProduct": "payments/transaction-events-v1", "fields": ["amount_usd"]},
	])
	access_report(spec, {}) == []
}

test_pii_read_of_its_own_product_is_not_judged if {
	own := json.patch(compliant, [
		{"op": "replace", "path": "/metadata/name", "value": "customer-events-v1"},
		{"op": "add", "path": "/spec/inputPorts", "value": [events_input(["ip_address"])]},
	])
	access_report(own, {}) == []
}

test_pii_reads_without_pii_access_data if {
	r := standards.report with input as reader([events_input(["ip_address"])])
		with data.standards as standards_data
		with data.pii_access as {}
	r == []
}
