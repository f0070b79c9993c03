/** The "Relation" menu of the figures that show one relation at a time (projection, follow one fact). */
import { useId, type ChangeEvent } from 'react';

export function RelationSelect({ value, relations, onChange }: { value: number; relations: number; onChange(ev: ChangeEvent<HTMLSelectElement>): void }) {
  const id = useId();
  return (
    <span className="fig-control">
      <label htmlFor={id}>Relation</label>
      <select id={id} value={value} onChange={onChange}>
        {Array.from({ length: Math.max(1, relations) }, (_, r) => (
          <option key={r} value={r}>
            relation {r}
          </option>
        ))}
      </select>
    </span>
  );
}
