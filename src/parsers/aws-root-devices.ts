/**
 * The device names under which common images attach their root volume: `/dev/xvda` (Amazon
 * Linux) and `/dev/sda1` (Ubuntu, Windows and most others). A block-device mapping for one of
 * them describes the root volume; without one, an instance's root volume is the image's.
 */
export const ROOT_DEVICES: readonly string[] = ["/dev/xvda", "/dev/sda1"];
