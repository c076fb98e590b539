import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { Arch } from '../environments';

/** Canonical's account: the only owner whose Ubuntu images we boot. */
export const CANONICAL_OWNER = '099720109477';

/** Ubuntu 24.04 LTS server images, newest first; the arch picks amd64 or arm64 (Graviton). */
export function ubuntuAmiNameFilter(arch: Arch): string {
  return `ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-${arch}-server-*`;
}

/**
 * Windows Server AMI per Windows build. Core-Base, not ContainersLatest: the join script installs
 * containerd itself, and ContainersLatest ships the Mirantis/Docker runtime it would fight with.
 */
const WINDOWS_AMI_NAME_FILTERS: Readonly<Record<string, string>> = {
  '10.0.17763': 'Windows_Server-2019-English-Core-Base-*',
};

export function windowsAmiNameFilter(windowsBuild: string | undefined): string {
  const filter = windowsBuild ? WINDOWS_AMI_NAME_FILTERS[windowsBuild] : undefined;
  if (!filter) {
    throw new Error(
      `no Windows Server AMI is known for build "${windowsBuild}": use one of ` +
        `${Object.keys(WINDOWS_AMI_NAME_FILTERS).join(', ')} or add its AMI name to WINDOWS_AMI_NAME_FILTERS in infra/ami.ts`,
    );
  }
  return filter;
}

function latestAmiId(owner: string, nameFilter: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
  return aws.ec2
    .getAmiOutput(
      {
        owners: [owner],
        mostRecent: true,
        filters: [
          { name: 'name', values: [nameFilter] },
          { name: 'virtualization-type', values: ['hvm'] },
          { name: 'root-device-type', values: ['ebs'] },
        ],
      },
      opts,
    )
    .apply((ami) => ami.id);
}

export function ubuntuAmiId(arch: Arch, opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
  return latestAmiId(CANONICAL_OWNER, ubuntuAmiNameFilter(arch), opts);
}

export function windowsAmiId(windowsBuild: string | undefined, opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
  return latestAmiId('amazon', windowsAmiNameFilter(windowsBuild), opts);
}
