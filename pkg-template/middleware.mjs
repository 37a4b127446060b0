// ESM entry of atlassian-sign/middleware: the same instance as middleware.cjs.
import m from './middleware.cjs';

export const createInstallKeyResolver = m.createInstallKeyResolver;
export const connectMiddleware = m.connectMiddleware;
export default m;
