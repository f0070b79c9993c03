export function App() {
  return (
    <main>
      <h1>How transformers memorize facts</h1>
      <p>A one-layer transformer learns random bijections between subjects and attributes. The live explorable is being built.</p>
    </main>
  );
}
