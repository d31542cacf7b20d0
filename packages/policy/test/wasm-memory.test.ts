import { requiredMemoryPages } from '../src';

/** A minimal module: imports env.memory (min 1 page) and writes 10 bytes at offset 200,000. */
function moduleWithDataAt200k(): Uint8Array {
  const name = (s: string) => [s.length, ...Buffer.from(s)];
  const importSection = [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01];
  const dataSection = [1, 0x00, 0x41, 0xc0, 0x9a, 0x0c, 0x0b, 10, ...new Array(10).fill(7)];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x02, importSection.length, ...importSection,
    0x0b, dataSection.length, ...dataSection,
  ]);
}

describe('requiredMemoryPages', () => {
  it('covers the data segments, not only the declared minimum', async () => {
    const wasm = moduleWithDataAt200k();
    expect(WebAssembly.validate(wasm)).toBe(true);
    const pages = requiredMemoryPages(wasm)!;
    expect(pages).toBe(5);
    await expect(WebAssembly.instantiate(wasm, { env: { memory: new WebAssembly.Memory({ initial: 1 }) } })).rejects.toThrow(/out of bounds/);
    await expect(WebAssembly.instantiate(wasm, { env: { memory: new WebAssembly.Memory({ initial: pages }) } })).resolves.toBeDefined();
  });

  it('returns undefined for bytes that are not a module', () => {
    expect(requiredMemoryPages(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x02, 0x7f]))).toBeUndefined();
  });
});
