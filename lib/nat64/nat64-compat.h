/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * The only environment the translator core depends on: fixed-width
 * integers, size_t and memcpy/memmove/memset/memcmp.  In the Linux kernel
 * they come from the kernel's own headers, elsewhere from the C library.
 */
#ifndef NAT64_COMPAT_H
#define NAT64_COMPAT_H 1

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#else
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#endif

#endif /* nat64-compat.h */
