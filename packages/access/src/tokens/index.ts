export { type ClaimNames, claimsMapper } from './claims.js';
export {
  type AuthenticateOptions,
  type Authenticator,
  authenticator,
  type Credential,
  type CredentialRequest,
  establishIdentity,
  type Identity,
  identityClaims,
} from './identity.js';
export { type KeySource, type RemoteJwksOptions, resolveKey } from './keys.js';
export { bearerToken, MAX_TOKEN_LENGTH, readCookie, tokenFrom } from './sources.js';
export {
  bearerJwt,
  type JwtVerifier,
  type JwtVerifierOptions,
  jwtVerifier,
  tokenError,
  type VerifiedJwt,
} from './verifier.js';
