import { ArrayMaxSize, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PageArgs } from '../../common/graphql/connection.js';
import { ImportAction, ImportField } from './import.types.js';

export const MAX_COLUMNS = 200;

@InputType({ description: 'Where one column of the file goes; a column left out (or with a null field) is ignored.' })
export class ImportColumnInput {
  @Field(() => Int, { description: 'The column index, from 0.' })
  @Min(0)
  @Max(MAX_COLUMNS - 1)
  index!: number;

  @Field(() => ImportField, { nullable: true })
  @IsOptional()
  field?: ImportField | null;
}

@InputType({ description: 'A new mapping for an import that is not running; the dry run starts again under it.' })
export class UpdateImportMappingInput {
  @Field(() => ID)
  @IsString()
  id!: string;

  @Field(() => Int, { description: 'The version read last: CONFLICT when the job changed since.' })
  version!: number;

  @Field(() => [ImportColumnInput], { description: 'The whole mapping: columns not named are ignored.' })
  @ArrayMaxSize(MAX_COLUMNS)
  @ValidateNested({ each: true })
  columns!: ImportColumnInput[];

  @Field(() => ID, {
    nullable: true,
    description: 'Or a saved template, matched by header (case and spaces aside); columns then is ignored.',
  })
  @IsOptional()
  @IsString()
  templateId?: string | null;
}

@InputType({ description: 'A header and the field its column goes to.' })
export class ImportTemplateColumnInput {
  @Field(() => String)
  @Length(1, 200)
  header!: string;

  @Field(() => ImportField)
  field!: ImportField;
}

@InputType({ description: 'A named mapping (a template of the same name, any case, is replaced).' })
export class SaveImportTemplateInput {
  @Field(() => String)
  @Length(1, 100, { message: 'name must be 1–100 characters' })
  name!: string;

  @Field(() => [ImportTemplateColumnInput])
  @ArrayMaxSize(MAX_COLUMNS)
  @ValidateNested({ each: true })
  columns!: ImportTemplateColumnInput[];
}

@ArgsType()
export class ImportRowsArgs extends PageArgs {
  @Field(() => ImportAction, { nullable: true, description: 'Only rows with this action.' })
  @IsOptional()
  action?: ImportAction;

  @Field(() => Boolean, { nullable: true, description: 'Only rows a revert left as they were.' })
  @IsOptional()
  revertRefused?: boolean;
}
