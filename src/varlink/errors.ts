// A varlink error reply: a fully qualified error name plus its parameters.

export class VarlinkError extends Error {
  override readonly name = 'VarlinkError';
  constructor(
    /** e.g. 'org.varlink.service.InvalidParameter'. */
    readonly error: string,
    readonly parameters: Record<string, unknown> = {},
  ) {
    super(`${error}${Object.keys(parameters).length ? ` ${JSON.stringify(parameters)}` : ''}`);
  }
}

const SERVICE = 'org.varlink.service';

/** The errors org.varlink.service defines, which every server may return. */
export const serviceErrors = {
  interfaceNotFound: (iface: string) => new VarlinkError(`${SERVICE}.InterfaceNotFound`, { interface: iface }),
  methodNotFound: (method: string) => new VarlinkError(`${SERVICE}.MethodNotFound`, { method }),
  methodNotImplemented: (method: string) => new VarlinkError(`${SERVICE}.MethodNotImplemented`, { method }),
  invalidParameter: (parameter: string) => new VarlinkError(`${SERVICE}.InvalidParameter`, { parameter }),
  expectedMore: () => new VarlinkError(`${SERVICE}.ExpectedMore`),
  permissionDenied: () => new VarlinkError(`${SERVICE}.PermissionDenied`),
};
