import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Model } from '@kubernetes-models/base';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { command } from './support/docker';

// The deployment files read by real tools: Compose files by Debian's docker-compose (1.29; what it reads,
// Compose v2 reads too), Kubernetes manifests by kubernetes-models' validators, compiled from the
// Kubernetes OpenAPI schema (types, required fields, enums; like that schema, not unknown field names).

interface ComposeService {
  image?: string;
  command?: string[];
  environment: Record<string, string>;
  /** `source:target:mode`, as docker-compose 1.29 prints them. */
  volumes: string[];
}
interface ComposeConfig {
  services: Record<string, ComposeService>;
}

async function composeConfig(files: string[], env: Record<string, string> = {}): Promise<ComposeConfig> {
  // Only what is given: none of this machine's own settings of these variables.
  const given = { NODE_ENV: 'test', PATH: process.env.PATH, HOME: '/home/deploy', ...env } as const;
  return parse(await command('docker-compose', [...files.flatMap((f) => ['-f', f]), 'config'], { env: given })) as ComposeConfig;
}

describe('docker-compose files', () => {
  it('docker-compose.yml: web and crawler on one image and the index volume, each with its own profile', async () => {
    const { services } = await composeConfig(['docker-compose.yml'], { WEB_S3_PROFILE: 'site', CRAWLER_S3_PROFILE: 'crawl' });
    expect(Object.keys(services).sort()).toEqual(['crawler', 'web']);
    const { web, crawler } = services as { web: ComposeService; crawler: ComposeService };
    expect(web.image).toBe(crawler.image);
    expect(crawler.command).toEqual(['node', 'crawl-schedule.mjs']);
    expect(web.environment).toMatchObject({ S3_PROFILE: 'site', DATABASE_PATH: '/data/search.db' });
    expect(crawler.environment).toMatchObject({ S3_PROFILE: 'crawl', DATABASE_PATH: '/data/search.db', CRAWL_INTERVAL_HOURS: '6' });
    for (const service of [web, crawler]) {
      expect(service.volumes.sort()).toEqual(['/home/deploy/.aws:/aws:ro', 'index:/data:rw']);
      // No wake endpoint unless docker-compose.wake.yml is added.
      expect(Object.keys(service.environment).filter((k) => k.startsWith('CRAWL_WAKE'))).toEqual([]);
    }
  });

  it('docker-compose.wake.yml adds the wake endpoint on both sides with one secret, and refuses to start without it', async () => {
    const files = ['docker-compose.yml', 'docker-compose.wake.yml'];
    const secret = 'a-secret-of-sixteen-or-more';
    const { services } = await composeConfig(files, { CRAWL_WAKE_SECRET: secret });
    expect(services.web!.environment).toMatchObject({ CRAWL_WAKE_URL: 'http://crawler:3001', CRAWL_WAKE_SECRET: secret, S3_PROFILE: 'default' });
    expect(services.crawler!.environment).toMatchObject({ CRAWL_WAKE_LISTEN: '0.0.0.0:3001', CRAWL_WAKE_SECRET: secret });
    await expect(composeConfig(files)).rejects.toThrow(/CRAWL_WAKE_SECRET|is required with docker-compose\.wake\.yml/);
  });

  it('docker-compose.dev.yml runs the demo from the build stage on ports 3000 and 4568', async () => {
    const config = parse(await command('docker-compose', ['-f', 'docker-compose.dev.yml', 'config'])) as {
      services: { demo: { build: { target: string }; command: string[]; ports: { target: number }[] } };
    };
    expect(config.services.demo.build.target).toBe('build');
    expect(config.services.demo.command).toEqual(['npm', 'run', 'demo']);
    expect(config.services.demo.ports.map((p) => p.target).sort()).toEqual([3000, 4568]);
  });
});

const K8S = 'deploy/k8s';
const MODELS: Record<string, new (data: never) => Model<unknown>> = {
  'apps/v1 Deployment': Deployment,
  'v1 Service': Service,
  'v1 PersistentVolumeClaim': PersistentVolumeClaim,
};

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  // biome-ignore lint/suspicious/noExplicitAny: each manifest is checked by its model's validator first
  spec: any;
}

function manifests(): { file: string; manifest: Manifest }[] {
  return readdirSync(K8S)
    .filter((f) => f !== 'kustomization.yaml')
    .flatMap((file) => parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map((doc) => ({ file, manifest: doc.toJS() as Manifest })));
}

function validate(manifest: Manifest): void {
  const model = MODELS[`${manifest.apiVersion} ${manifest.kind}`];
  if (!model) throw new Error(`no validator for ${manifest.apiVersion} ${manifest.kind}`);
  new model(manifest as never).validate();
}

describe('Kubernetes manifests', () => {
  it('every manifest is valid against the Kubernetes schema, and the kustomization lists every file', () => {
    const all = manifests();
    expect(all.map(({ manifest: m }) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'Deployment/braingeneers-search-crawler',
      'Deployment/braingeneers-search-web',
      'PersistentVolumeClaim/braingeneers-search-index',
      'Service/braingeneers-search',
    ]);
    for (const { file, manifest } of all) expect(() => validate(manifest), file).not.toThrow();
    const kustomization = parse(readFileSync(join(K8S, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    expect(kustomization.resources.sort()).toEqual([...new Set(all.map((m) => m.file))].sort());
  });

  it('the validator refuses a wrong type and a missing required field', () => {
    const web = manifests().find(({ manifest }) => manifest.kind === 'Deployment')!.manifest;
    expect(() => validate({ ...web, spec: { ...web.spec, replicas: 'one' } })).toThrow(/replicas/);
    const { selector: _, ...withoutSelector } = web.spec;
    expect(() => validate({ ...web, spec: withoutSelector })).toThrow(/selector/);
  });

  it('the pods agree with the image and with each other: uid, volume, labels, commands', () => {
    const byName = Object.fromEntries(manifests().map(({ manifest }) => [manifest.metadata.name, manifest]));
    const web = byName['braingeneers-search-web']!;
    const webPod = web.spec.template.spec;
    const crawlerPod = byName['braingeneers-search-crawler']!.spec.template.spec;
    const uid = Number(/--uid (\d+)/.exec(readFileSync('Dockerfile', 'utf8'))![1]);
    for (const pod of [webPod, crawlerPod]) {
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: uid, fsGroup: uid });
      expect(pod.volumes).toContainEqual({ name: 'index', persistentVolumeClaim: { claimName: byName['braingeneers-search-index']!.metadata.name } });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'index', mountPath: '/data' });
    }
    const webLabels = web.spec.template.metadata.labels;
    expect(byName['braingeneers-search']!.spec.selector).toEqual(webLabels);
    expect(crawlerPod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels).toEqual(webLabels);
    // The scheduler, as in docker-compose.yml: full crawls and the recent passes between them.
    expect(crawlerPod.containers[0].command).toEqual(['node', 'crawl-schedule.mjs']);
  });
});
