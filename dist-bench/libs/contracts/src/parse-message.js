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
    get describeValidationErrors () {
        return describeValidationErrors;
    },
    get parseMessage () {
        return parseMessage;
    }
});
const _classtransformer = require("class-transformer");
const _classvalidator = require("class-validator");
const _adrecerror = require("./adrec-error");
function parseMessage(type, body) {
    let plain;
    try {
        plain = JSON.parse(body ?? '');
    } catch (cause) {
        throw new _adrecerror.AdrecError('MESSAGE.INVALID', `${type.name}: body is not JSON`, {
            cause
        });
    }
    if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
        throw new _adrecerror.AdrecError('MESSAGE.INVALID', `${type.name}: body must be a JSON object`);
    }
    const instance = (0, _classtransformer.plainToInstance)(type, plain);
    const errors = (0, _classvalidator.validateSync)(instance, {
        whitelist: true,
        forbidUnknownValues: true
    });
    if (errors.length > 0) {
        throw new _adrecerror.AdrecError('MESSAGE.INVALID', `${type.name}: ${describeValidationErrors(errors)}`, {
            details: {
                fields: errors.map((e)=>e.property)
            }
        });
    }
    return instance;
}
function describeValidationErrors(errors, path = '') {
    return errors.flatMap((error)=>{
        const property = path ? `${path}.${error.property}` : error.property;
        const own = Object.values(error.constraints ?? {}).map((text)=>text.startsWith(error.property) ? property + text.slice(error.property.length) : `${property}: ${text}`);
        const nested = error.children?.length ? [
            describeValidationErrors(error.children, property)
        ] : [];
        return [
            ...own,
            ...nested
        ];
    }).join('; ');
}

//# sourceMappingURL=parse-message.js.map