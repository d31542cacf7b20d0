package data_mesh.governance_test

import data.data_mesh.governance

# --- fixture policy data, in the shape @data-mesh/policy generates ---

products := {
	"customer": {
		"customer-360": {
			"classification": "restricted",
			"retention_days": 730,
			"gdpr_subject_to_erasure": true,
			"access_policy": "opa://customer-domain/customer-360-access",
			"access_package": ["customer_domain", "customer_360_access"],
			"ports": ["customer_profile_stream", "customer_snapshot_daily"],
		},
		"customer-events-v1": {
			"classification": "confidential",
			"retention_days": 365,
			"gdpr_subject_to_erasure": true,
			"ports": ["customer_events_stream"],
		},
		"ghost-product": {
			"classification": "internal",
			"retention_days": 30,
			"access_policy": "opa://customer-domain/ghost-access",
			"access_package": ["customer_domain", "ghost_access"],
			"ports": [],
		},
	},
	"logistics": {"fulfillment-kpis": {
		"classification": "internal",
		"retention_days": 365,
		"ports": ["fulfillment_kpis_daily"],
	}},
}

pii_registry := {
	"customer": {
		"customer-360": ["email_hash", "phone_hash", "full_name", "address.street"],
		"customer-events-v1": ["email_hash"],
	},
	"logistics": {"fulfillment-kpis": []},
}

erased_subjects := {"cust-000123": {"requested_at": "2026-10-02"}}

now := 1795000000000000000

day := 86400000000000

analyst := {"id": "u-1", "roles": ["analyst"], "team": "growth-analytics"}

pii_analyst := {"id": "u-2", "roles": ["analyst", "pii_authorized"], "team": "growth-analytics"}

steward := {"id": "u-3", "roles": ["analyst"], "team": "governance", "is_data_steward": true}

request(subject, domain, name, fields) := {
	"action": "read",
	"now_ns": now,
	"subject": subject,
	"resource": {
		"domain": domain,
		"product": name,
		"fields": fields,
		"record_created_ns": now - (10 * day),
	},
}

decide(req) := d if {
	d := governance.decision with input as req
		with data.products as products
		with data.pii_registry as pii_registry
		with data.erased_subjects as erased_subjects
}

codes(d) := {r.code | some r in d.reasons}

# --- default deny and well-formedness ---

test_empty_input_is_denied_with_every_problem if {
	d := decide({})
	not d.allow
	codes(d) == {"malformed_request"}
	count(d.reasons) == 7
}

test_unknown_action_is_denied if {
	req := json.patch(
		request(analyst, "logistics", "fulfillment-kpis", ["on_time_rate"]),
		[{"op": "replace", "path": "/action", "value": "delete"}],
	)
	d := decide(req)
	not d.allow
	codes(d) == {"malformed_request"}
}

test_roles_must_be_a_list if {
	subject := {"id": "u-9", "roles": "pii_authorized", "team": "t"}
	d := decide(request(subject, "customer", "customer-events-v1", ["email_hash"]))
	not d.allow
	"malformed_request" in codes(d)
}

test_unknown_product_is_denied if {
	d := decide(request(pii_analyst, "customer", "no-such-product", ["customer_id"]))
	not d.allow
	codes(d) == {"unknown_product"}
}

test_allow_is_false_by_default if {
	not governance.allow with input as {}
}

# --- PII ---

test_non_pii_field_is_allowed_without_role if {
	d := decide(request(analyst, "customer", "customer-events-v1", ["customer_id", "event_type"]))
	d.allow
	d.reasons == []
}

test_pii_field_is_denied_without_role if {
	d := decide(request(analyst, "customer", "customer-events-v1", ["customer_id", "email_hash"]))
	not d.allow
	d.reasons == [{
		"code": "pii_role_required",
		"field": "email_hash",
		"message": "field 'email_hash' of customer/customer-events-v1 is PII and requires role 'pii_authorized'",
	}]
}

test_pii_field_is_allowed_with_role if {
	d := decide(request(pii_analyst, "customer", "customer-events-v1", ["customer_id", "email_hash"]))
	d.allow
}

test_every_pii_field_is_reported if {
	d := decide(request(analyst, "customer", "customer-360", ["email_hash", "full_name", "customer_id"]))
	not d.allow
	{r.field | some r in d.reasons; r.code == "pii_role_required"} == {"email_hash", "full_name"}
}

test_star_reads_every_pii_field if {
	d := decide(request(analyst, "customer", "customer-360", ["*"]))
	not d.allow
	fields := {r.field | some r in d.reasons; r.code == "pii_role_required"}
	fields == {"email_hash", "phone_hash", "full_name", "address.street"}
}

test_dotted_paths_reach_pii_fields if {
	every requested in ["payload.email_hash", "email_hash.sha256"] {
		d := decide(request(analyst, "customer", "customer-events-v1", ["customer_id", requested]))
		not d.allow
		d.reasons[0].field == "email_hash"
	}
}

test_parent_of_a_dotted_pii_field_is_pii if {
	d := decide(request(analyst, "customer", "customer-360", ["address"]))
	not d.allow
	d.reasons[0].field == "address.street"
}

test_dotted_paths_without_pii_are_allowed if {
	fields := ["address.city", "payload.customer_id", "email_hash_version"]
	d := decide(request(analyst, "customer", "customer-360", fields))
	d.allow
}

test_role_on_another_subject_does_not_count if {
	req := json.patch(
		request(analyst, "customer", "customer-events-v1", ["email_hash"]),
		[{"op": "add", "path": "/resource/roles", "value": ["pii_authorized"]}],
	)
	not decide(req).allow
}

# --- retention of restricted products ---

test_recent_restricted_record_is_allowed if {
	d := decide(request(pii_analyst, "customer", "customer-360", ["email_hash"]))
	d.allow
}

test_old_restricted_record_is_denied_to_non_steward if {
	req := json.patch(
		request(pii_analyst, "customer", "customer-360", ["customer_id"]),
		[{"op": "replace", "path": "/resource/record_created_ns", "value": now - (731 * day)}],
	)
	d := decide(req)
	not d.allow
	d.reasons == [{
		"code": "retention_expired",
		"message": concat("", [
			"record of customer/customer-360 is 731 days old; ",
			"retention for this restricted product is 730 days (data stewards only)",
		]),
	}]
}

test_record_exactly_at_retention_is_allowed if {
	req := json.patch(
		request(pii_analyst, "customer", "customer-360", ["customer_id"]),
		[{"op": "replace", "path": "/resource/record_created_ns", "value": now - (730 * day)}],
	)
	decide(req).allow
}

test_old_restricted_record_is_allowed_to_steward if {
	req := json.patch(
		request(steward, "customer", "customer-360", ["customer_id"]),
		[{"op": "replace", "path": "/resource/record_created_ns", "value": now - (2000 * day)}],
	)
	decide(req).allow
}

test_steward_flag_must_be_boolean_true if {
	subject := object.union(analyst, {"is_data_steward": "true"})
	req := json.patch(
		request(subject, "customer", "customer-360", ["customer_id"]),
		[{"op": "replace", "path": "/resource/record_created_ns", "value": now - (2000 * day)}],
	)
	codes(decide(req)) == {"retention_expired"}
}

test_old_record_of_non_restricted_product_is_allowed if {
	req := json.patch(
		request(analyst, "logistics", "fulfillment-kpis", ["on_time_rate"]),
		[{"op": "replace", "path": "/resource/record_created_ns", "value": now - (5000 * day)}],
	)
	decide(req).allow
}

test_restricted_record_without_age_is_denied if {
	req := json.patch(
		request(pii_analyst, "customer", "customer-360", ["customer_id"]),
		[{"op": "remove", "path": "/resource/record_created_ns"}],
	)
	codes(decide(req)) == {"record_age_unknown"}
}

# --- GDPR erasure ---

test_erased_subject_is_denied if {
	req := json.patch(
		request(pii_analyst, "customer", "customer-events-v1", ["customer_id"]),
		[{"op": "add", "path": "/resource/subject_id", "value": "cust-000123"}],
	)
	d := decide(req)
	not d.allow
	d.reasons == [{
		"code": "subject_erased",
		"message": "subject 'cust-000123' was erased under the GDPR right to erasure",
		"subject_id": "cust-000123",
	}]
}

test_erased_subject_is_denied_even_to_steward if {
	req := json.patch(
		request(steward, "logistics", "fulfillment-kpis", ["on_time_rate"]),
		[{"op": "add", "path": "/resource/subject_ids", "value": ["cust-9", "cust-000123"]}],
	)
	codes(decide(req)) == {"subject_erased"}
}

test_other_subject_is_allowed if {
	req := json.patch(
		request(pii_analyst, "customer", "customer-events-v1", ["customer_id"]),
		[{"op": "add", "path": "/resource/subject_id", "value": "cust-000124"}],
	)
	decide(req).allow
}

# --- every reason, not only the first ---

test_all_reasons_are_reported if {
	req := json.patch(
		request(analyst, "customer", "customer-360", ["email_hash"]),
		[
			{"op": "replace", "path": "/resource/record_created_ns", "value": now - (900 * day)},
			{"op": "add", "path": "/resource/subject_id", "value": "cust-000123"},
			{"op": "add", "path": "/action", "value": "export"},
		],
	)
	d := decide(req)
	not d.allow
	codes(d) == {"pii_role_required", "retention_expired", "subject_erased", "export_purpose"}
}

# --- product access policies ---

test_product_policy_reasons_are_included if {
	req := json.patch(
		request(pii_analyst, "customer", "customer-360", ["customer_id"]),
		[{"op": "add", "path": "/resource/port", "value": "no_such_port"}],
	)
	d := decide(req)
	not d.allow
	d.reasons[0].code == "unknown_port"
	d.reasons[0].policy == "opa://customer-domain/customer-360-access"
}

test_missing_product_policy_fails_closed if {
	d := decide(request(pii_analyst, "customer", "ghost-product", ["customer_id"]))
	not d.allow
	codes(d) == {"access_policy_missing"}
}

test_export_without_purpose_is_denied if {
	req := json.patch(
		request(pii_analyst, "customer", "customer-360", ["customer_id"]),
		[{"op": "replace", "path": "/action", "value": "export"}],
	)
	codes(decide(req)) == {"export_purpose"}
}

test_export_with_declared_purpose_is_allowed if {
	subject := object.union(pii_analyst, {"purpose": "regulatory-reporting"})
	req := json.patch(
		request(subject, "customer", "customer-360", ["customer_id"]),
		[{"op": "replace", "path": "/action", "value": "export"}],
	)
	decide(req).allow
}

test_anonymous_team_is_denied_by_product_policy if {
	subject := object.remove(pii_analyst, ["team"])
	codes(decide(request(subject, "customer", "customer-360", ["customer_id"]))) == {"team_required"}
}

test_declared_port_is_allowed if {
	req := json.patch(
		request(pii_analyst, "customer", "customer-360", ["customer_id"]),
		[{"op": "add", "path": "/resource/port", "value": "customer_snapshot_daily"}],
	)
	decide(req).allow
}
