import type { DeploymentNetwork } from '@switchyard/core/deployments';
import type { DeploymentSubnet, SubnetClaims } from '@switchyard/network-fabric';

/** A deployment's network as the network step first records it: nothing on a cloud yet. */
export function emptyNetwork(subnet: DeploymentSubnet): DeploymentNetwork {
  return {
    fabricNetwork: subnet.network,
    subnet: subnet.cidr,
    gateway: subnet.gateway,
    cloudNetworkId: '',
    securityGroups: {},
    enforcement: {},
  };
}

/**
 * What the fabric asks when it cuts a deployment's network from a cloud account's address pool: the
 * blocks the account's other deployments hold (a cloud's address space is per account, not per
 * tenant; a block stays held until a teardown removed it from the cloud and marked it released, as
 * a removal that failed may have left it there), and where this deployment records its own block.
 */
export function deploymentSubnetClaims(
  deploymentId: string,
  environment: string,
  accountId: string,
): SubnetClaims {
  return {
    async heldElsewhere(em) {
      const rows: { subnet: string }[] = await em.query(
        `SELECT n.value->>'subnet' AS subnet
           FROM deployments dep CROSS JOIN LATERAL jsonb_each(dep.networks) AS n
          WHERE n.key IN (SELECT e.name FROM environments e WHERE e.account_id = $1) AND dep.id <> $2
            AND (n.value->>'released') IS DISTINCT FROM 'true'`,
        [accountId, deploymentId],
      );
      return rows.map((r) => r.subnet);
    },
    async record(em, subnet) {
      await em.query(
        `UPDATE deployments SET networks = networks || jsonb_build_object($2::text, $3::jsonb) WHERE id = $1`,
        [deploymentId, environment, JSON.stringify(emptyNetwork(subnet))],
      );
    },
  };
}
