/*
 * version.h: the release version of dotphad and dotpha (both ship together).
 */
#ifndef DOTPHA_VERSION_H
#define DOTPHA_VERSION_H

#define DOTPHA_VERSION "0.1.0"

#endif
