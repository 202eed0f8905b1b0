/**
 * deploy/terraform, checked without Terraform (which cannot run here): every .tf file is parsed
 * with hcl2-parser (HashiCorp's HCL v2 parser compiled to JavaScript), then
 * 1. the .env the module generates names only variables server/env.ts reads, and every Firebase
 *    variable the app reads (emulator settings aside) is generated;
 * 2. the rules and indexes the module deploys are the repository's own files, the ones firebase.json
 *    names, and they exist;
 * 3. dev, staging and production each call the same module, as themselves, and write the .env 0600;
 * 4. Terraform's providers are pinned to exact versions, the same in the module and every environment.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseToObject } from "hcl2-parser";
import { describe, expect, test } from "vitest";
import { envSchema } from "@/server/env";

const repository = path.resolve(__dirname, "../..");
const terraformRoot = path.join(repository, "deploy/terraform");
const moduleDir = path.join(terraformRoot, "modules/driftwood-firebase");
const environmentsDir = path.join(terraformRoot, "environments");
const environments = ["dev", "staging", "production"];

// hcl2-parser gives blocks as arrays of bodies and every expression as a "${...}" string.
type Body = Record<string, unknown>;

function parseTf(file: string): Body {
  const [parsed, error] = parseToObject(readFileSync(file, "utf8")) as [Body | null, unknown];
  if (!parsed || error) throw new Error(`${path.relative(repository, file)} does not parse as HCL: ${JSON.stringify(error)}`);
  return parsed;
}

/** Every .tf file of a folder, parsed. */
function parseDir(dir: string): Body[] {
  const files = readdirSync(dir).filter((name) => name.endsWith(".tf"));
  expect(files.length, `${dir} has .tf files`).toBeGreaterThan(0);
  return files.map((name) => parseTf(path.join(dir, name)));
}

const bodies = (value: unknown): Body[] => (Array.isArray(value) ? (value as Body[]) : value ? [value as Body] : []);

/** All bodies of `resource "<type>" "<name>"` (or data, with kind "data") across a folder's files. */
function blocks(files: Body[], kind: "resource" | "data", type: string, name: string): Body[] {
  return files.flatMap((file) => bodies((file[kind] as Record<string, Record<string, unknown>> | undefined)?.[type]?.[name]));
}

function labelled(files: Body[], kind: "module" | "output" | "variable", name: string): Body[] {
  return files.flatMap((file) => bodies((file[kind] as Record<string, unknown> | undefined)?.[name]));
}

function locals(files: Body[]): Body {
  return Object.assign({}, ...files.flatMap((file) => bodies(file.locals)));
}

function only<T>(items: T[], what: string): T {
  expect(items, what).toHaveLength(1);
  return items[0] as T;
}

/** The paths of the files read with file("${path.module}/...") in an expression, resolved. */
function filesRead(expression: string, dir: string): string[] {
  return [...expression.matchAll(/file\("\$\{path\.module\}\/([^"]+)"\)/g)].map((match) => path.resolve(dir, match[1] as string));
}

/** The one file a ruleset deploys: its `files { name, content = file(...) }`. */
function rulesetFile(files: Body[], name: string): { name: unknown; path: string } {
  const ruleset = only(blocks(files, "resource", "google_firebaserules_ruleset", name), `one google_firebaserules_ruleset.${name}`);
  const sourceFiles = bodies(only(bodies(ruleset.source), `ruleset ${name} has one source`).files);
  const file = only(sourceFiles, `ruleset ${name} deploys one file`);
  const read = only(filesRead(String(file.content), moduleDir), `ruleset ${name}'s content is file("\${path.module}/...")`);
  return { name: file.name, path: read };
}

const moduleFiles = parseDir(moduleDir);
const firebaseJson = JSON.parse(readFileSync(path.join(repository, "firebase.json"), "utf8")) as {
  firestore?: { rules?: string; indexes?: string };
  storage?: { rules?: string };
};

describe("the generated .env", () => {
  const moduleLocals = locals(moduleFiles);
  const generated = Object.keys((moduleLocals.app_env ?? {}) as Body);
  const schemaKeys = Object.keys(envSchema.shape);

  test("names only variables the app's env schema has", () => {
    expect(generated.length).toBeGreaterThan(0);
    for (const name of generated) expect(schemaKeys, `${name} is read by server/env.ts`).toContain(name);
  });

  test("has every Firebase variable the app reads, except the emulators'", () => {
    const source = ["app", "server"].flatMap((dir) =>
      readdirSync(path.join(repository, dir), { recursive: true, encoding: "utf8" })
        .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
        .map((file) => readFileSync(path.join(repository, dir, file), "utf8")),
    );
    const readInSource = source.flatMap((text) => [...text.matchAll(/process\.env\.([A-Z0-9_]+)/g)].map((match) => match[1] as string));
    const firebase = [...new Set([...schemaKeys, ...readInSource])].filter(
      (name) => /^(NEXT_PUBLIC_)?FIREBASE_/.test(name) && !name.includes("EMULATOR"),
    );
    expect(firebase).toContain("FIREBASE_PRIVATE_KEY");
    for (const name of firebase) {
      expect(schemaKeys, `${name} (read in the source) is in server/env.ts's schema`).toContain(name);
      expect(generated, `${name} is generated`).toContain(name);
    }
  });

  test("is the text of those variables, output sensitive, and what each environment writes, 0600", () => {
    expect(String(moduleLocals.env_file)).toMatch(/for name in sort\(keys\(local\.app_env\)\)/);
    const output = only(labelled(moduleFiles, "output", "env_file"), "the module outputs env_file");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation, compared as the literal text of the parsed HCL
    expect(output.value).toBe("${local.env_file}");
    expect(output.sensitive).toBe(true);
    for (const environment of environments) {
      const files = parseDir(path.join(environmentsDir, environment));
      const file = only(blocks(files, "resource", "local_sensitive_file", "env"), `${environment} writes its .env`);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation, compared as the literal text of the parsed HCL
      expect(file.content, environment).toBe("${module.firebase.env_file}");
      expect(file.file_permission, environment).toBe("0600");
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation, compared as the literal text of the parsed HCL
      expect(file.filename, environment).toBe("${path.module}/.env.${local.environment}");
      const envOutput = only(labelled(files, "output", "env_file"), `${environment} outputs env_file`);
      expect(envOutput.sensitive, environment).toBe(true);
    }
  });
});

describe("the rules and indexes deployed", () => {
  test("Firestore's ruleset is the repository's firestore.rules, released for Firestore", () => {
    const file = rulesetFile(moduleFiles, "firestore");
    expect(file.path).toBe(path.join(repository, "firestore.rules"));
    expect(file.name).toBe("firestore.rules");
    expect(existsSync(file.path)).toBe(true);
    expect(path.join(repository, firebaseJson.firestore?.rules ?? "")).toBe(file.path);
    const release = only(blocks(moduleFiles, "resource", "google_firebaserules_release", "firestore"), "a Firestore release");
    expect(release.name).toBe("cloud.firestore");
    expect(release.ruleset_name).toMatch(/\$\{google_firebaserules_ruleset\.firestore\.name\}/);
  });

  test("Storage's ruleset is the repository's storage.rules, released for the evidence bucket", () => {
    const file = rulesetFile(moduleFiles, "storage");
    expect(file.path).toBe(path.join(repository, "storage.rules"));
    expect(file.name).toBe("storage.rules");
    expect(readFileSync(file.path, "utf8")).toMatch(/service firebase\.storage/);
    expect(path.join(repository, firebaseJson.storage?.rules ?? "")).toBe(file.path);
    const release = only(blocks(moduleFiles, "resource", "google_firebaserules_release", "storage"), "a Storage release");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation, compared as the literal text of the parsed HCL
    expect(release.name).toBe("firebase.storage/${google_storage_bucket.evidence.name}");
    expect(release.ruleset_name).toMatch(/\$\{google_firebaserules_ruleset\.storage\.name\}/);
  });

  test("the indexes are the repository's firestore.indexes.json, one google_firestore_index each", () => {
    const read = only(filesRead(String(locals(moduleFiles).firestore_indexes), moduleDir), "firestore_indexes reads one file");
    expect(read).toBe(path.join(repository, "firestore.indexes.json"));
    expect(path.join(repository, firebaseJson.firestore?.indexes ?? "")).toBe(read);
    const indexes = JSON.parse(readFileSync(read, "utf8")) as { indexes: unknown };
    expect(Array.isArray(indexes.indexes)).toBe(true);
    const index = only(blocks(moduleFiles, "resource", "google_firestore_index", "default"), "google_firestore_index.default");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation, compared as the literal text of the parsed HCL
    expect(index.for_each).toBe("${local.firestore_indexes}");
  });

  test("every file the module reads is in the repository", () => {
    const text = readdirSync(moduleDir)
      .filter((name) => name.endsWith(".tf"))
      .map((name) => readFileSync(path.join(moduleDir, name), "utf8"))
      .join("\n");
    const read = filesRead(text, moduleDir);
    expect(read.length).toBeGreaterThanOrEqual(3);
    for (const file of read) {
      expect(file.startsWith(`${repository}${path.sep}`), `${file} is inside the repository`).toBe(true);
      expect(existsSync(file), `${file} exists`).toBe(true);
    }
  });
});

describe("the environments", () => {
  test("are dev, staging and production, each calling modules/driftwood-firebase as itself", () => {
    const folders = readdirSync(environmentsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(folders.map((entry) => entry.name).sort()).toEqual([...environments].sort());
    const projects = new Set<unknown>();
    for (const environment of environments) {
      const dir = path.join(environmentsDir, environment);
      const files = parseDir(dir);
      const calls = files.flatMap((file) => Object.keys((file.module ?? {}) as Body));
      expect(calls, `${environment} calls one module, "firebase"`).toEqual(["firebase"]);
      const call = only(labelled(files, "module", "firebase"), `${environment}'s module "firebase"`);
      expect(path.resolve(dir, String(call.source)), environment).toBe(moduleDir);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation, compared as the literal text of the parsed HCL
      const environmentName = call.environment === "${local.environment}" ? locals(files).environment : call.environment;
      expect(environmentName, `${environment} calls the module as ${environment}`).toBe(environment);
      for (const input of ["project_id", "firestore_location", "storage_location"])
        expect(call[input], `${environment} sets ${input}`).toBeTruthy();
      const project = only(labelled(files, "variable", "project_id"), `${environment} has a project_id`).default;
      expect(project, `${environment} has a default project`).toBeTruthy();
      projects.add(project);
    }
    expect(projects.size, "each environment has its own project").toBe(environments.length);
  });
});

describe("versions", () => {
  const exact = /^=?\s*\d+\.\d+\.\d+$/;

  function providers(files: Body[], where: string): Record<string, string> {
    const terraform = only(
      files.flatMap((file) => bodies(file.terraform)),
      `${where} has one terraform block`,
    );
    expect(terraform.required_version, `${where} says which Terraform`).toBeTruthy();
    const required = Object.assign({}, ...bodies(terraform.required_providers)) as Record<string, { source?: string; version?: string }>;
    const versions: Record<string, string> = {};
    for (const [name, provider] of Object.entries(required)) {
      expect(provider.source, `${where}: ${name} has a source`).toMatch(/^hashicorp\//);
      expect(provider.version, `${where}: ${name} is pinned to an exact version`).toMatch(exact);
      versions[name] = String(provider.version).replace(/^=\s*/, "");
    }
    return versions;
  }

  test("providers are pinned exactly, the same in the module and every environment", () => {
    const inModule = providers(moduleFiles, "the module");
    expect(Object.keys(inModule).sort()).toEqual(["google", "google-beta"]);
    for (const environment of environments) {
      const inEnvironment = providers(parseDir(path.join(environmentsDir, environment)), environment);
      expect(Object.keys(inEnvironment).sort(), environment).toEqual(["google", "google-beta", "local"]);
      for (const [name, version] of Object.entries(inModule)) expect(inEnvironment[name], `${environment}: ${name}`).toBe(version);
    }
  });
});
