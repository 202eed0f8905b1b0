"use client";

// Placeholder while this section is being built; replaced in this session.
export function EmailSection() {
  return null;
}
