import { MigrationInterface, QueryRunner } from 'typeorm';

/** Adds the columns of the mass-removal guard to scim_user. */
export class AddRemovalHold1764918000000 implements MigrationInterface {
  name = 'AddRemovalHold1764918000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "scim_user" ADD "removal_started_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "scim_user" ADD "removal_held_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "scim_user" ADD "removal_released_at" TIMESTAMP WITH TIME ZONE`);
    // The worker counts an integration's removals in the guard window before each removal.
    await queryRunner.query(
      `CREATE INDEX "scim_user_removal_started_idx" ON "scim_user" ("integration_id", "removal_started_at") WHERE "removal_started_at" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "scim_user_removal_held_idx" ON "scim_user" ("integration_id") WHERE "removal_held_at" IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "scim_user_removal_held_idx"`);
    await queryRunner.query(`DROP INDEX "scim_user_removal_started_idx"`);
    await queryRunner.query(`ALTER TABLE "scim_user" DROP COLUMN "removal_released_at"`);
    await queryRunner.query(`ALTER TABLE "scim_user" DROP COLUMN "removal_held_at"`);
    await queryRunner.query(`ALTER TABLE "scim_user" DROP COLUMN "removal_started_at"`);
  }
}
