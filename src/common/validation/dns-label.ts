/** An RFC 1123 label, as Kubernetes names namespaces, Jobs and claims: at most 63 characters. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
