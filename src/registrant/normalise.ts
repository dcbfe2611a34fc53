/** "E-mail Address" -> "emailaddress". Letters of any script count, so "Prénom" stays "prénom". */
export function normaliseColumnName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}
