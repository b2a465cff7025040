import * as protoLoader from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import {
  ENVOY_ALS_DESCRIPTOR,
  ENVOY_ALS_LOADER_OPTIONS,
  loadEnvoyAlsPackage,
} from './envoy-als-descriptor.js';
import { loadVendoredAls } from './spec-support/test-envoy.js';

interface DescriptorProto {
  name: string;
  field?: { name: string; number: number; label: string; type: string; typeName?: string }[];
  value?: { name: string; number: number }[];
}

/** Every message and enum of a package definition, by full name, as protobuf descriptors. */
function types(definition: protoLoader.PackageDefinition): Map<string, DescriptorProto> {
  const out = new Map<string, DescriptorProto>();
  for (const [name, value] of Object.entries(definition)) {
    const type = (value as { type?: DescriptorProto }).type;
    if (type !== undefined && 'format' in value) out.set(name, type);
  }
  return out;
}

describe('the agent’s Envoy access-log descriptor', () => {
  it('declares every field and enum value under the name, number, label and type of the vendored Envoy protos', () => {
    const trimmed = types(protoLoader.fromJSON(ENVOY_ALS_DESCRIPTOR, ENVOY_ALS_LOADER_OPTIONS));
    const vendored = types(loadVendoredAls());
    expect(trimmed.size).toBeGreaterThan(10);
    let compared = 0;
    for (const [name, type] of trimmed) {
      const full = vendored.get(name);
      expect(full, `${name} exists in the vendored protos`).toBeDefined();
      for (const field of type.field ?? []) {
        const match = full!.field?.find((candidate) => candidate.number === field.number);
        expect(match, `${name}.${field.name}`).toMatchObject({
          name: field.name,
          label: field.label,
          type: field.type,
          typeName: field.typeName,
        });
        compared += 1;
      }
      for (const value of type.value ?? []) {
        expect(
          full!.value?.find((candidate) => candidate.name === value.name)?.number,
          `${name}.${value.name}`,
        ).toBe(value.number);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('serves the method Envoy calls, client-streaming', async () => {
    const { service } = await loadEnvoyAlsPackage();
    const vendored = loadVendoredAls()['envoy.service.accesslog.v3.AccessLogService'] as Record<
      string,
      { path: string; requestStream: boolean; responseStream: boolean }
    >;
    const method = service.StreamAccessLogs!;
    expect({
      path: method.path,
      requestStream: method.requestStream,
      responseStream: method.responseStream,
    }).toEqual({
      path: vendored.StreamAccessLogs!.path,
      requestStream: true,
      responseStream: false,
    });
  });
});
