// Reading the deployment files under docker/: paths, YAML, and the Kubernetes manifests
// with the schema validator of each kind.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { parse, parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..', '..', '..');
export const DOCKER_DIR = join(ROOT, 'docker');
export const K8S_DIR = join(DOCKER_DIR, 'k8s');
export const EXECUTOR_DIR = join(ROOT, 'src', 'modules', 'runtimes', 'kubernetes');
export const KUSTOMIZATION = 'kustomization.yaml';
/** Documents the operator fills in and applies by hand; kustomize must not ship them. */
export const EXAMPLE_FILES = ['secret.example.yaml'];

// Parsed YAML has no static shape; the schema checks below are what type it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Tree = Record<string, any>;

/** A kubernetes-models class; each takes its own kind's data, hence the loose parameter. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ModelClass = new (data: any) => { validate(): void };

export interface Manifest extends Tree {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
}

export interface LoadedManifest {
  file: string;
  doc: Manifest;
}

/** The kinds Kiln deploys, each with its kubernetes-models class (a schema validator). */
export const MODELS: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
};

export function manifestFiles(): string[] {
  return readdirSync(K8S_DIR)
    .filter((file) => /\.ya?ml$/.test(file) && file !== KUSTOMIZATION)
    .sort();
}

export function loadManifests(): LoadedManifest[] {
  return manifestFiles().flatMap((file) =>
    parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0].message}`);
      return { file, doc: document.toJS() as Manifest };
    }),
  );
}

export function readYamlFile(path: string): Tree {
  // Merge keys (`<<: *anchor`) are how compose.yaml shares one definition of Kiln.
  return parse(readFileSync(path, 'utf8'), { merge: true }) as Tree;
}

export function modelOf(doc: Manifest): ModelClass {
  const model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!model) throw new Error(`unknown kind ${doc.apiVersion} ${doc.kind}: add it to MODELS`);
  return model;
}
