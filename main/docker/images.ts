// Image presence. Nothing is pulled by surprise (test machines often have no registry): a missing image
// is a `docker.image-missing` error naming the image and the three ways to get it. Pulling is opt-in.
import type Docker from 'dockerode';
import { StudioError } from '../../shared/errors';

export interface ImageOptions {
  /** Pull missing images from their registry (off by default). */
  readonly pull?: boolean;
}

/** Resolves when every image is present on the engine (pulling only when asked). */
export async function ensureImages(docker: Docker, images: readonly string[], options: ImageOptions = {}): Promise<void> {
  const missing: string[] = [];
  for (const image of new Set(images)) {
    if (await imageExists(docker, image)) continue;
    if (options.pull) {
      await pullImage(docker, image);
      continue;
    }
    missing.push(image);
  }
  if (missing.length === 0) return;
  const list = missing.map((m) => `"${m}"`).join(', ');
  throw new StudioError({
    code: 'docker.image-missing',
    message:
      `image ${list} ${missing.length === 1 ? 'is' : 'are'} not on the Docker engine. Get ${missing.length === 1 ? 'it' : 'them'} with ` +
      `resources/images/build.sh (builds the cleanroom/* test images offline), \`docker pull <image>\` where a registry is reachable ` +
      `(or run with --pull), or \`docker load -i <image>.tar\`.`,
    details: { images: missing },
  });
}

export async function imageExists(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw new StudioError({ code: 'docker.failed', message: `cannot inspect image "${image}": ${(error as Error).message}`, details: { image } });
  }
}

async function pullImage(docker: Docker, image: string): Promise<void> {
  try {
    const stream = await docker.pull(image);
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
  } catch (error) {
    throw new StudioError({
      code: 'docker.image-missing',
      message: `image "${image}" is not on the engine and pulling it failed (${(error as Error).message}); build or load it instead (resources/images/build.sh, docker load)`,
      details: { images: [image] },
    });
  }
}
