// The health rule is shared with the renderer, so every view bands a device the same way.
export { healthOf } from '@shared/domain';
