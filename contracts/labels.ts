/**
 * Label and annotation names more than one layer writes or reads: constructs set them, guardrails and
 * the cross-layer checks judge them, infra passes them to kubelets. Written once, here.
 */

/** A DaemonSet annotated with a reason may take the host privileges a node agent needs. */
export const NODE_AGENT_ANNOTATION = 'guardrails.k8s-book-systems.io/node-agent';
/** `"<rule-id>: <reason>"` per line silences one rule for one object. */
export const WAIVE_ANNOTATION = 'guardrails.k8s-book-systems.io/waive';
/** The node label kubelets of a pool register with (`--node-labels node-pool=<name>`). */
export const NODE_POOL_LABEL = 'node-pool';
/** Set by the kubelet on Windows nodes: the OS build a Windows image must match. */
export const WINDOWS_BUILD_LABEL = 'node.kubernetes.io/windows-build';
