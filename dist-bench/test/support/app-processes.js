"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
function _export(target, all) {
    for(var name in all)Object.defineProperty(target, name, {
        enumerable: true,
        get: Object.getOwnPropertyDescriptor(all, name).get
    });
}
_export(exports, {
    get startApp () {
        return startApp;
    },
    get stopApp () {
        return stopApp;
    }
});
const _nodechild_process = require("node:child_process");
const _nodepath = require("node:path");
const DIST = (0, _nodepath.join)(__dirname, '..', '..', 'dist', 'apps');
function startApp(app, env) {
    const child = (0, _nodechild_process.spawn)(process.execPath, [
        (0, _nodepath.join)(DIST, app, 'src', 'main.js')
    ], {
        env: {
            PATH: process.env.PATH ?? '',
            ...env
        },
        stdio: [
            'ignore',
            'pipe',
            'pipe'
        ]
    });
    const output = [];
    child.stdout.on('data', (chunk)=>output.push(chunk.toString()));
    child.stderr.on('data', (chunk)=>output.push(chunk.toString()));
    return {
        name: app,
        child,
        output
    };
}
async function stopApp(app) {
    if (app.child.exitCode !== null || app.child.signalCode !== null) return;
    const exited = new Promise((resolve)=>app.child.once('exit', ()=>resolve()));
    app.child.kill('SIGTERM');
    const timer = setTimeout(()=>app.child.kill('SIGKILL'), 40_000);
    await exited;
    clearTimeout(timer);
}

//# sourceMappingURL=app-processes.js.map