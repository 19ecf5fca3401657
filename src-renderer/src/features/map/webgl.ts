/**
 * Whether this browser can give maplibre a WebGL context, and if not, why: the page shows the
 * reason instead of a blank rectangle (a locked-down control-room PC often has GPU acceleration
 * turned off by policy).
 */
export type WebglCheck = { ok: true; version: 1 | 2 } | { ok: false; reason: string | null };

export function checkWebgl(doc: Document = document): WebglCheck {
  const canvas = doc.createElement('canvas');
  let message: string | null = null;
  const onError = (e: Event): void => {
    // Chromium explains the failure here ("Could not create a WebGL context, VENDOR = ...").
    message = (e as WebGLContextEvent).statusMessage || message;
  };
  canvas.addEventListener('webglcontextcreationerror', onError);
  try {
    const gl2 = canvas.getContext('webgl2');
    if (gl2) {
      release(gl2);
      return { ok: true, version: 2 };
    }
    const gl1 = canvas.getContext('webgl');
    if (gl1) {
      release(gl1);
      return { ok: true, version: 1 };
    }
    return { ok: false, reason: message };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    canvas.removeEventListener('webglcontextcreationerror', onError);
  }
}

/** Gives the probe's context back at once: browsers cap live contexts (about 16). */
function release(gl: WebGLRenderingContext | WebGL2RenderingContext): void {
  gl.getExtension('WEBGL_lose_context')?.loseContext();
}
