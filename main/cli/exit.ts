export const EXIT_OK = 0;
/** Tests failed, or a file is invalid. */
export const EXIT_FAILED = 1;
/** Bad usage, or the environment is not usable (Docker missing, port taken, unreadable file). */
export const EXIT_USAGE = 2;
