import './table.css';

/**
 * A list as a table that scrolls sideways inside its own container (never the page), with a
 * caption for screen readers and a header row of `columns` (an empty string: a hidden "Actions").
 */
export function DataTable(props: {
  caption: string;
  columns: readonly (string | false)[];
  testId?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table className="data" data-testid={props.testId}>
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns
              .filter((column) => column !== false)
              .map((column) => (
                <th key={column || 'actions'} scope="col">
                  {column || <span className="visually-hidden">Actions</span>}
                </th>
              ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
