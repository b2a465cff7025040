import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the agent reports of the cluster's Calico: its version (`ClusterInformation` `default`)
 * and the `projectcalico.org/v3` kinds the API server serves. Both null until an agent reports them.
 */
export class CalicoReport1795650000000 implements MigrationInterface {
  name = 'CalicoReport1795650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clusters"."clusters" ADD "calico_version" text`);
    await queryRunner.query(`ALTER TABLE "clusters"."clusters" ADD "calico_kinds" text array`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clusters"."clusters" DROP COLUMN "calico_kinds"`);
    await queryRunner.query(`ALTER TABLE "clusters"."clusters" DROP COLUMN "calico_version"`);
  }
}
