/** Availability zones per region (letters), so plans show literal AZ names and configs can be checked. */
export const REGION_AZ_LETTERS: Record<string, string> = {
  "us-east-1": "abcdef",
  "us-east-2": "abc",
  "us-west-1": "ac",
  "us-west-2": "abcd",
  "ca-central-1": "abd",
  "eu-west-1": "abc",
  "eu-west-2": "abc",
  "eu-west-3": "abc",
  "eu-central-1": "abc",
  "eu-north-1": "abc",
  "eu-south-1": "abc",
  "ap-southeast-1": "abc",
  "ap-southeast-2": "abc",
  "ap-northeast-1": "acd",
  "ap-south-1": "abc",
  "sa-east-1": "abc",
};

/** The first `count` availability zones of `region`. */
export function availabilityZones(region: string, count: number): string[] {
  const letters = REGION_AZ_LETTERS[region];
  if (!letters)
    throw new Error(
      `region "${region}" is not in REGION_AZ_LETTERS (environments/regions.ts); add it with its zone letters`,
    );
  if (count > letters.length)
    throw new Error(`region ${region} has ${letters.length} availability zones, ${count} requested`);
  return [...letters.slice(0, count)].map((l) => `${region}${l}`);
}
