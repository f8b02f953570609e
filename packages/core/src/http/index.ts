export {
  type Answer,
  type AnswerBody,
  emptyAnswer,
  isStreamBody,
  jsonAnswer,
  type ProblemFields,
  problemAnswer,
} from './answer.js';
export { readNodeBody, readWebBody } from './body.js';
export { fetchRequest, toResponse } from './fetch.js';
export { methodLabel } from './method.js';
export { type NodeRequestLike, nodeRequest, writeAnswer } from './node.js';
export {
  firstHeader,
  JSON_BODY_LIMIT,
  jsonBody,
  type NeutralHandler,
  type NeutralRequest,
  type NeutralRequestInit,
  neutralRequest,
  pathOf,
  splitUrl,
  subpath,
} from './request.js';
