/**
 * The Pulumi program: `pulumi stack select dev|prod` picks the environment, and this file only wires
 * the components together. It exports a function (Pulumi runs it and takes its result as the stack
 * outputs), so `npm run plan` and the tests can run it once per stack in one process.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { getEnvironment } from '../environments';
import { Bastion } from './bastion';
import { discoveryTokenCaCertHash } from './bootstrap';
import { ControlPlane } from './control-plane';
import { apiEndpoint, apiTunnelCommand, privateZoneName } from './endpoint';
import { ClusterStore } from './cluster-store';
import { ClusterIam } from './iam';
import { AdminKubeconfig } from './kubeconfig';
import { ClusterManifests } from './manifests';
import { Network } from './network';
import { NodePool } from './node-pool';
import { ClusterPki } from './pki';
import { SecurityGroups } from './security-groups';
import { readStackSettings, requireAwsEnvironment } from './settings';
import { requireTunnel } from './tunnel';
import { nameTag } from './tags';

export = async function cluster() {
  const env = requireAwsEnvironment(getEnvironment(pulumi.getStack()));
  const settings = readStackSettings(env);
  // Before any resource: on a first `up` (or with the tunnel closed) the Kubernetes provider could not reach the API.
  if (settings.deployManifests) await requireTunnel(env.name, settings.apiTunnelPort);
  const clusterName = env.cluster.name;
  const { network: networkSpec } = env.provider;

  const provider = new aws.Provider('aws', {
    region: networkSpec.region,
    defaultTags: { tags: { 'k8s-book-systems/environment': env.name, 'k8s-book-systems/cluster': clusterName } },
  });
  const opts = { providers: { aws: provider } };

  const network = new Network('network', { clusterName, network: networkSpec }, opts);
  const securityGroups = new SecurityGroups(
    'sg',
    { env, vpcId: network.vpcId, settings: { bastionAllowedCidrs: settings.bastionAllowedCidrs } },
    opts,
  );
  const pki = new ClusterPki('pki', { clusterName }, opts);
  const store = new ClusterStore(
    'cluster-store',
    { env, caKeyPem: pki.caKeyPem, certificateKey: pki.certificateKey, bootstrapToken: pki.bootstrapToken },
    opts,
  );
  const iam = new ClusterIam(
    'iam',
    {
      clusterName,
      ssmAccess: settings.ssmAccess,
      controlPlaneStatements: store.controlPlaneStatements,
      nodeStatements: store.nodeStatements,
    },
    opts,
  );
  const keyName = settings.sshPublicKey
    ? new aws.ec2.KeyPair('ssh', { publicKey: settings.sshPublicKey, tags: nameTag(clusterName, 'ssh') }, { provider }).keyName
    : undefined;

  const bastion = new Bastion(
    'bastion',
    {
      clusterName,
      subnetId: network.publicSubnetIds[0],
      securityGroupId: securityGroups.bastionId,
      instanceProfile: iam.bastionInstanceProfile,
      keyName,
    },
    opts,
  );
  // The API endpoint's name resolves inside the VPC only.
  const zone = new aws.route53.Zone(
    'private-zone',
    {
      name: privateZoneName(env),
      comment: `Private names of cluster ${clusterName} (the API endpoint)`,
      vpcs: [{ vpcId: network.vpcId, vpcRegion: networkSpec.region }],
      tags: nameTag(clusterName, 'private-zone'),
    },
    { provider },
  );

  const controlPlane = new ControlPlane(
    'control-plane',
    {
      env,
      vpcId: network.vpcId,
      privateSubnetIds: network.privateSubnetIds,
      zoneId: zone.zoneId,
      securityGroupId: securityGroups.controlPlaneId,
      apiLoadBalancerSecurityGroupId: securityGroups.apiLoadBalancerId,
      instanceProfile: iam.controlPlaneInstanceProfile,
      caCertPem: pki.caCertPem,
      store: store.names,
      keyName,
    },
    opts,
  );

  const discoveryHash = pki.caCertPem.apply(discoveryTokenCaCertHash);
  const nodePools = env.nodePools.map(
    (pool) =>
      new NodePool(
        `pool-${pool.name}`,
        {
          env,
          pool,
          subnetIds: network.privateSubnetIds,
          securityGroupId: securityGroups.nodesId,
          instanceProfile: iam.nodeInstanceProfile,
          endpoint: controlPlane.endpoint,
          store: store.names,
          discoveryHash,
          keyName,
        },
        opts,
      ),
  );

  const { kubeconfig } = new AdminKubeconfig(
    'admin-kubeconfig',
    { clusterName, endpoint: controlPlane.endpoint, caCertPem: pki.caCertPem, caKeyPem: pki.caKeyPem, tunnelPort: settings.apiTunnelPort },
    opts,
  );
  if (settings.deployManifests) {
    new ClusterManifests('manifests', { env, kubeconfig, petshopConnectionString: settings.petshopConnectionString });
  }

  const endpoint = apiEndpoint(env);
  const tunnel = settings.apiTunnelPort;
  return {
    bastionInstanceId: bastion.instanceId,
    bastionPublicIp: bastion.publicIp,
    apiEndpoint: `https://${endpoint.host}:${endpoint.port}`,
    apiTunnelCommand: bastion.instanceId.apply((id) => apiTunnelCommand(networkSpec.region, id, endpoint, tunnel)),
    ...(settings.sshPublicKey
      ? { sshTunnelCommand: pulumi.interpolate`ssh -N -L ${tunnel}:${endpoint.host}:${endpoint.port} ubuntu@${bastion.publicIp}` }
      : {}),
    kubeconfig,
    clusterBucket: store.bucketName,
    controlPlaneInstanceIds: pulumi.all(controlPlane.instanceIds),
    nodePoolAutoScalingGroups: pulumi.output(
      Object.fromEntries(env.nodePools.map((pool, i) => [pool.name, nodePools[i].autoScalingGroupName])),
    ),
  };
};
