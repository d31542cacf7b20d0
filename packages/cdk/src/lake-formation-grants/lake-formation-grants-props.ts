import { TableColumn } from '../iceberg-table/iceberg-schema';

/** One consumer of a table, as an input port of another product declares it. */
export interface ConsumerGrant {
  /** `<domain>/<product>` of the consumer (for messages and outputs). */
  readonly consumer: string;
  /** IAM principal (role ARN) the consumer's pipeline runs as. */
  readonly principalArn: string;
  /** Fields the consumer's input port declares: dotted paths (`payload.customer_id`) or bare names matching exactly one leaf. */
  readonly fields: readonly string[];
  /**
   * Which PII the consumer may read (the platform's authorization for this consumer and source):
   * `true` every PII field, a list only those `piiFields` entries; a column holding any other
   * PII field is withheld.
   * @default false
   */
  readonly piiAuthorized?: boolean | readonly string[];
  /**
   * Only these output ports of the source (an input pinned with `port:`).
   * @default - every port
   */
  readonly ports?: readonly string[];
}

export interface LakeFormationGrantsProps {
  /** The table: Glue database and table name. */
  readonly databaseName: string;
  readonly tableName: string;
  /** @default - the stack's account */
  readonly catalogId?: string;
  /** The table's columns (to map declared fields to columns and find PII inside structs). */
  readonly columns: readonly TableColumn[];
  /** The producing product's `governance.pii_fields` (dotted paths or bare leaf names). */
  readonly piiFields: readonly string[];
  readonly consumers: readonly ConsumerGrant[];
}
