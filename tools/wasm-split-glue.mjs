// node tools/wasm-split-glue.mjs GLUE.js ENTRY
//
// Gives a copy of wasm-bindgen's glue (`--target web`, before it is minified) what a module split
// by tools/wasm-split.mjs imports: `gg.load`, which instantiates the secondary module on the first
// call of a function it holds, sharing the primary's memory, tables and globals. Where the
// secondary's bytes come from is set by `__groupgate_secondary(read)`. `./dev build` bundles this
// copy into the Node entries (js/node.mjs) of ENTRY (`groupgate`, `groupgate/files`: the name its
// errors give); the other entries load the whole module with the glue as generated. The build fails here if wasm-bindgen's output changes shape.
import { readFileSync, writeFileSync } from "node:fs";

const [file, entry] = process.argv.slice(2);
if (!/^groupgate(\/files)?$/.test(entry ?? "")) throw new Error(`entry ${entry}: groupgate or groupgate/files`);
const glue = readFileSync(file, "utf8");
const anchor = `"./groupgate_bg.js": import0,\n`;
if (glue.split(anchor).length !== 2) throw new Error(`${file}: wasm-bindgen's import object not found once`);
const loader = `
// tools/wasm-split-glue.mjs: the secondary module of a split .wasm, instantiated on first use.
let readSecondary;
export function __groupgate_secondary(read) {
    readSecondary = read;
}
function loadSecondary(import0) {
    if (wasm.gg_loaded.value) return;
    try {
        const module = new WebAssembly.Module(readSecondary());
        new WebAssembly.Instance(module, { p: wasm, "./groupgate_bg.js": import0 });
    } catch (e) {
        // Thrown through the call's WASM frames as a trap is: core.js puts the stack pointer back and
        // the object keeps working (internal.load); the next call that needs the part tries again.
        const trap = new WebAssembly.RuntimeError("${entry} could not load the second part of its module, wasm/secondary.wasm (" +
            (e?.message ?? e) + "); the call did nothing and the object keeps working, and the next call that needs it loads it again", { cause: e });
        trap.part = 1;
        throw trap;
    }
    wasm.gg_loaded.value = 1;
}
`;
writeFileSync(file, glue.replace(anchor, `${anchor}        gg: { __proto__: null, load: () => loadSecondary(import0) },\n`) + loader);
