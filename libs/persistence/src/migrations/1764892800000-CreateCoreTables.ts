import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCoreTables1764892800000 implements MigrationInterface {
  name = 'CreateCoreTables1764892800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "integration" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "display_name" character varying(200) NOT NULL, "api_key_ciphertext" text NOT NULL, "api_key_last4" character varying(4) NOT NULL, "transfer_email" character varying(320), "enabled" boolean NOT NULL DEFAULT false, "auth_failed_at" TIMESTAMP WITH TIME ZONE, "team_id" character varying(64), "team_name" text, "team_synced_at" TIMESTAMP WITH TIME ZONE, "connection_tested_at" TIMESTAMP WITH TIME ZONE, "connection_test_ok" boolean, "connection_test_message" text, "settings" jsonb NOT NULL DEFAULT '{}'::jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f348d4694945d9dc4c7049a178a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "scim_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "integration_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_a5715b8446ee4a9cc6c0f19054d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "scim_token_integration_idx" ON "scim_token" ("integration_id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "scim_token_hash_uq" ON "scim_token" ("token_hash")`);
    await queryRunner.query(
      `CREATE TABLE "scim_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "integration_id" uuid NOT NULL, "user_name" text NOT NULL, "external_id" text, "email" text, "resource" jsonb NOT NULL, "active" boolean NOT NULL, "role" character varying(32) NOT NULL, "observed_state" character varying(16) NOT NULL DEFAULT 'none', "dropbox_sign_email" text, "dropbox_sign_account_id" character varying(64), "invited_role" character varying(32), "invited_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "last_error_code" character varying(64), "desired_generation" integer NOT NULL DEFAULT '1', "applied_generation" integer NOT NULL DEFAULT '0', "pending_operation" character varying(32), "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_d67f8a1c694add8068e9ba25809" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "scim_user_integration_email_idx" ON "scim_user" ("integration_id", "email")`);
    await queryRunner.query(
      `CREATE INDEX "scim_user_integration_created_idx" ON "scim_user" ("integration_id", "created_at", "id")`,
    );
    // Okta looks users up with `userName eq "…"`, compared case-insensitively (RFC 7643 §4.1.1);
    // this index serves that lookup and keeps live userNames unique in any letter case.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "scim_user_integration_user_name_uq" ON "scim_user" ("integration_id", lower("user_name")) WHERE "deleted_at" IS NULL`,
    );
    // The sweep looks for users whose desired state was not applied yet.
    await queryRunner.query(
      `CREATE INDEX "scim_user_pending_idx" ON "scim_user" ("integration_id", "updated_at") WHERE "applied_generation" < "desired_generation"`,
    );
    await queryRunner.query(
      `CREATE TABLE "team_member" ("integration_id" uuid NOT NULL, "email" text NOT NULL, "account_id" character varying(64), "role_code" character varying(8), "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_bb3f8117d732d136a38ea04df9b" PRIMARY KEY ("integration_id", "email"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "team_invite" ("integration_id" uuid NOT NULL, "email" text NOT NULL, "account_id" character varying(64), "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_dbe0e5594bca9a192e482e4b492" PRIMARY KEY ("integration_id", "email"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_event" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "integration_id" uuid, "user_id" uuid, "actor" character varying(16) NOT NULL, "action" character varying(64) NOT NULL, "outcome" character varying(16) NOT NULL, "request_id" character varying(64), "job_id" character varying(128), "details" jsonb NOT NULL DEFAULT '{}'::jsonb, CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "audit_event_user_time_idx" ON "audit_event" ("user_id", "occurred_at")`);
    await queryRunner.query(
      `CREATE INDEX "audit_event_integration_time_idx" ON "audit_event" ("integration_id", "occurred_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_event"`);
    await queryRunner.query(`DROP TABLE "team_invite"`);
    await queryRunner.query(`DROP TABLE "team_member"`);
    await queryRunner.query(`DROP TABLE "scim_user"`);
    await queryRunner.query(`DROP TABLE "scim_token"`);
    await queryRunner.query(`DROP TABLE "integration"`);
  }
}
