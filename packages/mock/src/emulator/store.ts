/**
 * The emulator's memory: one store per project, shared by both path families (they are two
 * views of the same snapshots). Status changes that take time on the real service
 * (`creating` → `available`, `deleting` → gone, `rollbacking` → `available`) are pending
 * transitions, settled lazily when the project is next touched: no timers, nothing to
 * clean up, and a test can make them immediate or step them by hand.
 */
import type { Random } from "./random.js";
import { nowMicros } from "./time.js";

/** A pending transition that ends with the snapshot removed. */
export const GONE = "\0gone";

/** One class, so V8 gives every snapshot the same compact shape (100,000 of them must fit in memory). */
export class StoredSnapshot {
  updatedAt: number | null = null;
  /** Epoch ms when the pending transition completes; Infinity while stepped by hand. */
  dueAt = 0;
  nextStatus: string | undefined = undefined;
  constructor(
    public seq: number,
    public id: string,
    public projectId: string,
    public status: string,
    public name: string | null,
    public description: string | null,
    public createdAt: number,
    public metadata: Readonly<Record<string, string>>,
    public volumeId: string,
    public size: number,
    public availabilityZone: string,
    public enterpriseProjectId: string,
    public serviceType: string,
    public dedicatedStorageId: string | null = null,
    public dedicatedStorageName: string | null = null,
  ) {}
}

class Project {
  /** Ascending `seq` (creation order); lists walk it backwards, newest first. */
  items: StoredSnapshot[] = [];
  byId = new Map<string, StoredSnapshot>();
  pending = new Set<StoredSnapshot>();
  volumes = new Map<string, string>();
}

/** `"manual"`: transitions wait for `advance()`; a number: they complete after that many ms. */
export type TransitionDelay = number | "manual";

export interface StoreOptions {
  random: Random;
  transitionMs: TransitionDelay;
  /** Snapshots a project may hold before create answers 413. */
  quota: number;
  /** Snapshots all projects together may hold (seeding included): the memory bound. */
  maxStored: number;
  availabilityZone: string;
  enterpriseProjectId: string;
}

export interface NewSnapshot {
  volumeId: string;
  name?: string | null | undefined;
  description?: string | null | undefined;
  metadata?: Record<string, string> | undefined;
  status?: string | undefined;
  size?: number | undefined;
  availabilityZone?: string | undefined;
  enterpriseProjectId?: string | undefined;
  serviceType?: string | undefined;
  dedicatedStorageId?: string | null | undefined;
  dedicatedStorageName?: string | null | undefined;
  createdAt?: number | undefined;
}

const EMPTY_METADATA: Readonly<Record<string, string>> = Object.freeze({});
const DISK_SIZES = [10, 20, 40, 50, 100, 200];

/** A disk's size, stable for its id: the emulator has no disk API, so sizes are derived. */
export function diskSize(volumeId: string): number {
  let hash = 0;
  for (let i = 0; i < volumeId.length; i++)
    hash = (Math.imul(hash, 31) + volumeId.charCodeAt(i)) | 0;
  return DISK_SIZES[Math.abs(hash) % DISK_SIZES.length]!;
}

export class Store {
  private projects = new Map<string, Project>();
  private seq = 0;
  total = 0;

  constructor(readonly options: StoreOptions) {}

  private project(projectId: string): Project {
    let project = this.projects.get(projectId);
    if (!project) this.projects.set(projectId, (project = new Project()));
    this.settle(project);
    return project;
  }

  private settle(project: Project, now = Date.now()): void {
    if (project.pending.size === 0) return;
    for (const snapshot of project.pending) {
      if (snapshot.dueAt > now) continue;
      project.pending.delete(snapshot);
      const next = snapshot.nextStatus!;
      snapshot.nextStatus = undefined;
      if (next === GONE) this.remove(project, snapshot);
      else {
        snapshot.status = next;
        snapshot.updatedAt = nowMicros();
      }
    }
  }

  private remove(project: Project, snapshot: StoredSnapshot): void {
    project.byId.delete(snapshot.id);
    const items = project.items;
    let low = 0;
    let high = items.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const seq = items[mid]!.seq;
      if (seq === snapshot.seq) {
        items.splice(mid, 1);
        this.total--;
        return;
      }
      if (seq < snapshot.seq) low = mid + 1;
      else high = mid - 1;
    }
  }

  /** Starts a transition: the snapshot shows `now` until it becomes `then` (or GONE). */
  transition(
    snapshot: StoredSnapshot,
    now: string,
    then: string,
    delay = this.options.transitionMs,
  ): void {
    const project = this.project(snapshot.projectId);
    snapshot.status = now;
    snapshot.updatedAt = nowMicros();
    snapshot.nextStatus = then;
    snapshot.dueAt = delay === "manual" ? Number.POSITIVE_INFINITY : Date.now() + delay;
    project.pending.add(snapshot);
  }

  /** Completes every pending transition now (or only those of one snapshot). Returns how many. */
  advance(snapshotId?: string): number {
    let count = 0;
    for (const project of this.projects.values()) {
      for (const snapshot of project.pending) {
        if (snapshotId !== undefined && snapshot.id !== snapshotId) continue;
        snapshot.dueAt = 0;
        count++;
      }
      this.settle(project);
    }
    return count;
  }

  /** undefined when over the project's quota or the store's bound. */
  add(
    projectId: string,
    input: NewSnapshot,
    checkQuota: boolean,
  ): StoredSnapshot | "quota" | "full" {
    const project = this.project(projectId);
    if (this.total >= this.options.maxStored) return "full";
    if (checkQuota && project.items.length >= this.options.quota) return "quota";
    const snapshot = new StoredSnapshot(
      ++this.seq,
      this.options.random.uuid(),
      projectId,
      input.status ?? "creating",
      input.name ?? null,
      input.description ?? null,
      input.createdAt ?? nowMicros(),
      input.metadata && Object.keys(input.metadata).length > 0 ? input.metadata : EMPTY_METADATA,
      input.volumeId,
      input.size ?? diskSize(input.volumeId),
      input.availabilityZone ?? this.options.availabilityZone,
      input.enterpriseProjectId ?? this.options.enterpriseProjectId,
      input.serviceType ?? "EVS",
      input.dedicatedStorageId ?? null,
      input.dedicatedStorageName ?? null,
    );
    project.items.push(snapshot);
    project.byId.set(snapshot.id, snapshot);
    this.total++;
    return snapshot;
  }

  get(projectId: string, snapshotId: string): StoredSnapshot | undefined {
    return this.project(projectId).byId.get(snapshotId);
  }

  /** The project's snapshots in creation order (oldest first); do not modify. */
  all(projectId: string): readonly StoredSnapshot[] {
    return this.project(projectId).items;
  }

  /** A disk's status (`available` unless seeded otherwise). */
  diskStatus(projectId: string, volumeId: string): string {
    return this.project(projectId).volumes.get(volumeId) ?? "available";
  }

  setDiskStatus(projectId: string, volumeId: string, status: string): void {
    this.project(projectId).volumes.set(volumeId, status);
  }

  touch(snapshot: StoredSnapshot): void {
    snapshot.updatedAt = nowMicros();
  }

  reset(): void {
    this.projects.clear();
    this.total = 0;
    this.seq = 0;
  }

  stats(): { projects: number; snapshots: number } {
    return { projects: this.projects.size, snapshots: this.total };
  }
}
