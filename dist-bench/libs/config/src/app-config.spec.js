"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
const _contracts = require("../../contracts/src");
const _appconfig = require("./app-config");
function configError(env) {
    try {
        (0, _appconfig.loadConfig)(env);
    } catch (error) {
        expect(error).toBeInstanceOf(_contracts.AdrecError);
        return error;
    }
    throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}
describe('loadConfig', ()=>{
    it('fills in the documented defaults for an empty environment', ()=>{
        const config = (0, _appconfig.loadConfig)({});
        expect(config.storage).toEqual({
            bucket: 'adrec-data',
            rawPrefix: 'raw/',
            runsPrefix: 'runs/'
        });
        expect(config.pipeline.windowDays).toBe(1);
        expect(config.pipeline.badLineThreshold).toBe(0.01);
        expect(config.http.port).toBe(3000);
        expect(config.aws.forcePathStyle).toBe(false);
        expect(config.aws.endpoint).toBeUndefined();
        expect(config.database.url).toBeUndefined();
    });
    it('treats empty variables as unset', ()=>{
        expect((0, _appconfig.loadConfig)({
            PORT: '',
            ADREC_BUCKET: ''
        })).toEqual((0, _appconfig.loadConfig)({}));
    });
    it('uses path-style S3 addressing when AWS_ENDPOINT_URL is set', ()=>{
        const config = (0, _appconfig.loadConfig)({
            AWS_ENDPOINT_URL: 'http://localhost:4566'
        });
        expect(config.aws).toMatchObject({
            endpoint: 'http://localhost:4566',
            forcePathStyle: true
        });
    });
    it('lets S3_FORCE_PATH_STYLE override the endpoint default', ()=>{
        expect((0, _appconfig.loadConfig)({
            AWS_ENDPOINT_URL: 'http://localhost:4566',
            S3_FORCE_PATH_STYLE: 'false'
        }).aws.forcePathStyle).toBe(false);
    });
    it('adds the trailing slash a raw prefix lacks', ()=>{
        expect((0, _appconfig.loadConfig)({
            ADREC_RAW_PREFIX: 'logs'
        }).storage.rawPrefix).toBe('logs/');
        expect((0, _appconfig.loadConfig)({
            ADREC_RAW_PREFIX: 'logs/'
        }).storage.rawPrefix).toBe('logs/');
    });
    it('parses numeric variables', ()=>{
        const config = (0, _appconfig.loadConfig)({
            BAD_LINE_THRESHOLD: '0.05',
            PORT: '8080',
            WINDOW_DAYS: '7'
        });
        expect(config.pipeline.badLineThreshold).toBe(0.05);
        expect(config.http.port).toBe(8080);
        expect(config.pipeline.windowDays).toBe(7);
    });
    it.each([
        [
            'PORT',
            'abc'
        ],
        [
            'BAD_LINE_THRESHOLD',
            '2'
        ],
        [
            'WINDOW_DAYS',
            '0'
        ],
        [
            'ADREC_BUCKET',
            'Not_A_Bucket'
        ],
        [
            'AWS_ENDPOINT_URL',
            'localhost'
        ],
        [
            'LOG_LEVEL',
            'verbose'
        ]
    ])('rejects %s=%j with CONFIG.INVALID naming the variable', (name, value)=>{
        const error = configError({
            [name]: value
        });
        expect(error.code).toBe('CONFIG.INVALID');
        expect(error.message).toContain(name);
    });
    it('ignores variables it does not know', ()=>{
        expect((0, _appconfig.loadConfig)({
            HOME: '/root',
            UNRELATED: 'x'
        })).toEqual((0, _appconfig.loadConfig)({}));
    });
});

//# sourceMappingURL=app-config.spec.js.map