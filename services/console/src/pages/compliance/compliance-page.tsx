import { ComplianceZonesDocument, EncryptionDocument } from '../../api/generated';
import { request } from '../../api/graphql';
import { usePolling } from '../../components/use-polling';
import { EncryptionPanel } from './encryption';
import { ZoneReport } from './zone-report';
import { Zones } from './zones';
import './compliance.css';

/** How often zones and the encryption status (nodes' keys as agents report them) are read again. */
export const COMPLIANCE_POLL_MS = 10_000;

/**
 * Compliance zones and their report, WireGuard settings and the pairwise encryption status.
 * Everyone reads; editors and up change zones and settings (the policies service's
 * @RequireRole('editor') refuses anyone else).
 */
export function CompliancePage() {
  const zones = usePolling(() => request(ComplianceZonesDocument), COMPLIANCE_POLL_MS);
  const encryption = usePolling(() => request(EncryptionDocument), COMPLIANCE_POLL_MS);
  return (
    <>
      <h1>Compliance and encryption</h1>
      <Zones
        zones={zones.data?.complianceZones}
        loading={zones.loading}
        error={zones.error}
        onChanged={() => void zones.refresh()}
      />
      {zones.data ? <ZoneReport zones={zones.data.complianceZones} /> : null}
      <EncryptionPanel
        data={encryption.data}
        loading={encryption.loading}
        error={encryption.error}
        onChanged={() => void encryption.refresh()}
      />
    </>
  );
}
