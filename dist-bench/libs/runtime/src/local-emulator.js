"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "startLocalEmulator", {
    enumerable: true,
    get: function() {
        return startLocalEmulator;
    }
});
const _nodechild_process = require("node:child_process");
const _nodefs = require("node:fs");
const _nodepath = require("node:path");
const _config = require("../../config/src");
/** fauxqs ships as an ES module with a CLI; run it like the Docker image does. */ function fauxqsCliPath() {
    for(let dir = __dirname;; dir = (0, _nodepath.dirname)(dir)){
        const candidate = (0, _nodepath.join)(dir, 'node_modules', 'fauxqs', 'dist', 'cli.js');
        if ((0, _nodefs.existsSync)(candidate)) return candidate;
        if ((0, _nodepath.dirname)(dir) === dir) throw new Error('fauxqs is not installed; run npm install');
    }
}
async function startLocalEmulator(port, output = 'ignore') {
    const child = (0, _nodechild_process.spawn)(process.execPath, [
        fauxqsCliPath()
    ], {
        env: (0, _config.childEnvironment)({
            FAUXQS_PORT: String(port),
            FAUXQS_HOST: '127.0.0.1',
            FAUXQS_LOGGER: 'false'
        }),
        stdio: [
            'ignore',
            output === 'ignore' ? 'ignore' : 'pipe',
            output === 'ignore' ? 'ignore' : 'pipe'
        ]
    });
    if (output !== 'ignore') {
        child.stdout.pipe(output, {
            end: false
        });
        child.stderr.pipe(output, {
            end: false
        });
    }
    const endpoint = `http://127.0.0.1:${port}`;
    const exited = new Promise((resolve)=>child.once('exit', ()=>resolve()));
    const deadline = Date.now() + 30_000;
    for(;;){
        if (child.exitCode !== null) throw new Error(`fauxqs exited with code ${child.exitCode} on port ${port}`);
        try {
            if ((await fetch(`${endpoint}/health`)).ok) break;
        } catch  {
        // not listening yet
        }
        if (Date.now() > deadline) {
            child.kill('SIGKILL');
            throw new Error(`fauxqs did not answer on ${endpoint} within 30s`);
        }
        await new Promise((resolve)=>setTimeout(resolve, 100));
    }
    return {
        endpoint,
        process: child,
        stop: async ()=>{
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
        }
    };
}

//# sourceMappingURL=local-emulator.js.map